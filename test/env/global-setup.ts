// vitest globalSetup of the `integration` project: ONE shared environment per run,
// handed to test files through provide/inject (see shared-environment.ts).
import type { TestProject } from 'vitest/node'
import { startEnvironment } from './environment'

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now()
  const env = await startEnvironment({ name: 'vitest' })
  process.stderr.write(
    `[test-env] kube-apiserver ${env.info.kubeApiServerUrl}, moto ${env.info.motoUrl} ready in ${Date.now() - started} ms (work dir ${env.info.workDir})\n`,
  )
  project.provide('edgeIngressEnv', env.info)
  void env.serverExited.then((server) => {
    process.stderr.write(`[test-env] ${server.name} exited unexpectedly, tests after this fail; log ${server.logPath}:\n${server.lastLogLines()}\n`)
  })
  return () => env.stop()
}
