// kube-apiserver is built once with Go from the k8s.io/kubernetes module and cached.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { cacheDir, repoRoot } from '../paths'
import { findOnPath, overriddenPath, runSetupCommand } from './command'

export const kubernetesVersion = 'v1.36.3'

export async function ensureKubeApiserver(): Promise<string> {
  const override = overriddenPath('EDGE_INGRESS_KUBE_APISERVER')
  if (override) return override
  const cached = join(cacheDir(), `kube-apiserver-${kubernetesVersion}`)
  if (existsSync(cached)) return cached
  if (!findOnPath('go')) {
    throw new Error(
      `kube-apiserver ${kubernetesVersion} is not built yet (${cached}) and Go is not installed: ` +
        'install Go >= 1.25 (https://go.dev/dl, or your distribution package) and run the tests again; ' +
        'the first build takes several minutes and is cached',
    )
  }
  if (!findOnPath('python3')) throw new Error('building kube-apiserver needs python3 (to read `go mod download -json`); install python3')
  process.stderr.write(`[test-env] building kube-apiserver ${kubernetesVersion} with Go (first run only, several minutes)\n`)
  const script = join(repoRoot, 'test/env/scripts/build-kube-apiserver.sh')
  const output = await runSetupCommand('bash', [script], {
    ...process.env,
    K8S_VERSION: kubernetesVersion,
    EDGE_INGRESS_CACHE: cacheDir(),
  })
  const built = output.trim().split('\n').pop() ?? ''
  if (!existsSync(built)) throw new Error(`the kube-apiserver build finished but ${built || cached} is missing`)
  return built
}
