import { defineConfig } from 'vitest/config'

// Unit tests sit beside the code; integration and e2e tiers run against real servers
// started by test/env (kube-apiserver + etcd, moto, workerd).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['edge/**/*.test.ts', 'controller/**/*.test.ts', 'cdk/**/*.test.ts', 'test/unit/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
    ],
  },
})
