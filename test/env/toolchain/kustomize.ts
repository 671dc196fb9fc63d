// kustomize renders infra/ in tests: the real CLI, built once with Go from its module and
// cached (ADR 0500), so the tests render exactly what `kubectl apply -k` renders.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { cacheDir, repoRoot } from '../paths'
import { findOnPath, overriddenPath, runSetupCommand } from './command'

export const kustomizeVersion = 'v5.8.0'

export async function ensureKustomize(): Promise<string> {
  const override = overriddenPath('EDGE_INGRESS_KUSTOMIZE')
  if (override) return override
  const cached = join(cacheDir(), `kustomize-${kustomizeVersion}`)
  if (existsSync(cached)) return cached
  if (!findOnPath('go')) {
    throw new Error(`kustomize ${kustomizeVersion} is not built yet (${cached}) and Go is not installed: install Go >= 1.25 and run the tests again`)
  }
  process.stderr.write(`[test-env] building kustomize ${kustomizeVersion} with Go (first run only)\n`)
  const output = await runSetupCommand('bash', [join(repoRoot, 'test/env/scripts/build-kustomize.sh')], {
    ...process.env,
    KUSTOMIZE_VERSION: kustomizeVersion,
    EDGE_INGRESS_CACHE: cacheDir(),
  })
  const built = output.trim().split('\n').pop() ?? ''
  if (!existsSync(built)) throw new Error(`the kustomize build finished but ${built || cached} is missing`)
  return built
}

/** `kustomize build <dir>`: the rendered multi-document YAML. */
export async function kustomizeBuild(dir: string): Promise<string> {
  const binary = await ensureKustomize()
  const { stdout } = await promisify(execFile)(binary, ['build', dir], { maxBuffer: 16 * 1024 * 1024 })
  return stdout
}
