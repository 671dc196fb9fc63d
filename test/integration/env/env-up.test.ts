// `npm run env:up` as a user runs it: files once ready, usable by a client, and nothing
// left behind on SIGTERM. A SIGKILLed env:up cannot stop its servers: the next
// environment start reaps them.
import { DescribeRegionsCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2'
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { EnvironmentInfo } from '../../env/environment'
import { processesOfEnvironment, reapLeftoverEnvironments } from '../../env/leftovers'
import { repoRoot } from '../../env/paths'

const children: ChildProcess[] = []
const outDirs: string[] = []

// Each env:up runs in a process group of its own: if a test fails half-way, killing the
// group by its id also takes npm's child and the servers with it.
function killGroups(): void {
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue
    try {
      process.kill(-child.pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}
process.once('exit', killGroups)

afterEach(async () => {
  killGroups()
  for (const dir of outDirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

describe('npm run env:up', () => {
  it('writes kubeconfig and env once ready, serves both, and stops every process on SIGTERM', async () => {
    const out = await outDir()
    const child = start('npm', ['run', '--silent', 'env:up', '--', '--out', out, '--nodes', '2', '--cluster-name', 'dev'])
    await untilStdout(child, /^env:up ready: /m)

    const envFile = parseEnvFile(await readFile(join(out, 'env'), 'utf8'))
    expect(Object.keys(envFile)).toEqual(['KUBECONFIG', 'AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'])
    expect(envFile.KUBECONFIG).toBe(join(out, 'kubeconfig'))
    const info = JSON.parse(await readFile(join(out, 'env.json'), 'utf8')) as EnvironmentInfo

    const kc = new KubeConfig()
    kc.loadFromFile(envFile.KUBECONFIG!)
    const nodes = await kc.makeApiClient(CoreV1Api).listNode()
    expect(nodes.items.map((n) => n.spec?.providerID)).toEqual([expect.stringMatching(/^aws:\/\/\/us-east-1[a-f]\/i-/), expect.stringMatching(/^aws:\/\/\/us-east-1[a-f]\/i-/)])
    const ec2 = new EC2Client({
      endpoint: envFile.AWS_ENDPOINT_URL!,
      region: envFile.AWS_REGION!,
      credentials: { accessKeyId: envFile.AWS_ACCESS_KEY_ID!, secretAccessKey: envFile.AWS_SECRET_ACCESS_KEY! },
    })
    expect((await ec2.send(new DescribeRegionsCommand({}))).Regions?.length).toBeGreaterThan(0)
    const subnets = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'tag-key', Values: ['kubernetes.io/cluster/dev'] }] }))
    expect(subnets.Subnets).toHaveLength(2)
    expect(processesOfEnvironment(info.workDir).sort()).toEqual(Object.values(info.pids).sort())

    child.kill('SIGTERM')
    expect(await exitCode(child)).toBe(0)
    expect(processesOfEnvironment(info.workDir)).toEqual([])
    expect(existsSync(info.workDir)).toBe(false)
    expect(existsSync(join(out, 'env'))).toBe(false)
    expect(existsSync(join(out, 'kubeconfig'))).toBe(false)
  })

  it('fails with a clear message on a bad option, starting nothing', async () => {
    const child = start('npm', ['run', '--silent', 'env:up', '--', '--nodes', 'many'])
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    expect(await exitCode(child)).not.toBe(0)
    expect(stderr).toContain("option '--nodes <count>' argument 'many' is invalid")
  })
})

describe('a server dying under env:up', () => {
  it('makes env:up report it with its log, stop the other servers and exit 1', async () => {
    const out = await outDir()
    const child = start(process.execPath, ['--import', 'tsx', 'test/env/env-up.ts', '--out', out])
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    await untilStdout(child, /^env:up ready: /m)
    const info = JSON.parse(await readFile(join(out, 'env.json'), 'utf8')) as EnvironmentInfo
    process.kill(info.pids.moto, 'SIGKILL')
    expect(await exitCode(child)).toBe(1)
    expect(stderr).toContain('env:up: moto exited unexpectedly; last log lines:')
    expect(processesOfEnvironment(info.workDir)).toEqual([])
    expect(existsSync(join(out, 'env'))).toBe(false)
  })
})

describe('leftovers of a killed environment', () => {
  it('are still running after SIGKILL of their owner, and reaped by the next start', async () => {
    const out = await outDir()
    const child = start(process.execPath, ['--import', 'tsx', 'test/env/env-up.ts', '--out', out])
    await untilStdout(child, /^env:up ready: /m)
    const info = JSON.parse(await readFile(join(out, 'env.json'), 'utf8')) as EnvironmentInfo
    child.kill('SIGKILL')
    await exitCode(child)
    expect(processesOfEnvironment(info.workDir).length).toBe(3)

    expect(reapLeftoverEnvironments()).toContain(info.workDir)
    await expect.poll(() => processesOfEnvironment(info.workDir)).toEqual([])
    expect(existsSync(info.workDir)).toBe(false)
  })
})

async function outDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'env-up-test-'))
  outDirs.push(dir)
  return dir
}

function start(command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  children.push(child)
  return child
}

function untilStdout(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let stdout = ''
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      if (pattern.test(stdout)) resolve()
    })
    child.once('exit', (code) => reject(new Error(`env:up exited (${code}) before ready:\n${stdout}\n${stderr}`)))
  })
}

function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode)
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

function parseEnvFile(text: string): Record<string, string> {
  return Object.fromEntries(text.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]))
}
