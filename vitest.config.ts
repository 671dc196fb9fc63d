import { defineConfig } from 'vitest/config'

// Test workers load the AWS SDK in process on this machine's Node 20; its notice that later
// releases need Node 22 would repeat in every worker's output. The CLI sets the same (main.ts).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

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
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // The edge runtime tests need no Kubernetes or AWS emulator: they have their own project
          // (test/integration/edge/aws/ uses moto and stays here).
          exclude: ['test/integration/edge/*.test.ts'],
          // One shared etcd + kube-apiserver + moto for the whole run (test/env/global-setup.ts).
          globalSetup: ['test/env/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Files share the servers and the cluster-wide Nodes, and the machine has 2 cores.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          // The product's own commands as a user runs them (npm start, npm run sandbox), each
          // starting and stopping everything it needs.
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'edge',
          // The edge on its real runtimes (Node sockets, workerd, the Lambda handlers) against local echo servers.
          include: ['test/integration/edge/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
