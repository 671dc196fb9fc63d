// Where the test environment finds its caches, the repository and the shared fixtures.
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** Built and installed tools live outside the repository so a fresh clone reuses them. */
export function cacheDir(): string {
  return process.env.EDGE_INGRESS_CACHE ?? join(homedir(), '.cache', 'edge-ingress')
}

/**
 * The Gateway API CRDs are not vendored: they come from the shared fixtures directory.
 * Order: $EDGE_INGRESS_FIXTURES, <repo>/../shared/fixtures, /work/shared/fixtures.
 */
export function fixturesDir(): string {
  const candidates = [process.env.EDGE_INGRESS_FIXTURES, join(repoRoot, '..', 'shared', 'fixtures'), '/work/shared/fixtures']
  for (const candidate of candidates) {
    if (candidate && existsSync(candidate)) return candidate
  }
  throw new Error(
    `no shared fixtures directory found (tried ${candidates.filter(Boolean).join(', ')}); ` +
      'set EDGE_INGRESS_FIXTURES to the directory holding gateway-api-v1.6.1/',
  )
}
