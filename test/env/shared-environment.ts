// The environment started by global-setup.ts, as seen from inside a test file.
import { inject } from 'vitest'
import type { EnvironmentInfo } from './environment'

declare module 'vitest' {
  export interface ProvidedContext {
    edgeIngressEnv: EnvironmentInfo
  }
}

/**
 * Connection details of the run's shared environment. Shared means: create your own
 * namespaces, use a unique cluster name in AWS tags, delete the Nodes you create, and never
 * reset moto (start a private environment with startEnvironment() when you need that).
 */
export function sharedEnvironment(): EnvironmentInfo {
  const env = inject('edgeIngressEnv')
  if (!env) {
    throw new Error('no shared test environment: run this file in the vitest `integration` project (npx vitest run --project integration <file>)')
  }
  return env
}
