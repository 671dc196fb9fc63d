// The harness itself: readiness errors carry the server's log, stop escalates to SIGKILL,
// a missing toolchain is named with how to get it, and a second environment is independent.
import { CreateVpcCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createAwsClients, createKubeClients } from '../../env/clients'
import { startEnvironment, type TestEnvironment } from '../../env/environment'
import { uniqueName } from '../../env/fixtures/names'
import { processesOfEnvironment } from '../../env/leftovers'
import { startProcess, waitUntilReady } from '../../env/process'
import { sharedEnvironment } from '../../env/shared-environment'
import { ensureEtcd } from '../../env/toolchain/etcd'
import { ensureKubeApiserver } from '../../env/toolchain/kube-apiserver'
import { ensureMotoServer } from '../../env/toolchain/moto'

let scratch: string
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'harness-test-'))
})
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true })
})

describe('processes', () => {
  it('reports a server that exits before it is ready, with its last log lines', async () => {
    const proc = startProcess({ name: 'crashes', command: 'sh', args: ['-c', 'echo "listen tcp: address already in use" >&2; exit 3'], workDir: scratch })
    await expect(waitUntilReady(proc, 'crashes', async () => false, { timeoutMs: 10_000 })).rejects.toThrow(
      /crashes exited before crashes was ready; log .*crashes\.log, last lines:\nlisten tcp: address already in use/,
    )
  })

  it('stops a server that never gets ready instead of leaving it running', async () => {
    const proc = startProcess({ name: 'slow', command: 'sleep', args: ['60'], workDir: scratch })
    await expect(waitUntilReady(proc, 'slow', async () => false, { timeoutMs: 300 })).rejects.toThrow(/slow not ready after 300 ms/)
    expect(proc.hasExited()).toBe(true)
  })

  it('kills a process that ignores SIGTERM once the grace period is over', async () => {
    const proc = startProcess({ name: 'stubborn', command: 'sh', args: ['-c', 'trap "" TERM; echo trapped; while :; do sleep 1; done'], workDir: scratch })
    await expect.poll(() => proc.lastLogLines()).toContain('trapped')
    await proc.stop(300)
    expect(proc.hasExited()).toBe(true)
    expect(() => process.kill(proc.pid, 0)).toThrow()
  })
})

describe('missing toolchains', () => {
  const saved = { ...process.env }
  afterEach(() => {
    process.env = { ...saved }
  })

  it('names Go and where to get it when kube-apiserver must be built', async () => {
    process.env.EDGE_INGRESS_CACHE = scratch
    process.env.PATH = scratch
    await expect(ensureKubeApiserver()).rejects.toThrow(/Go is not installed: install Go >= 1\.25/)
  })

  it('names python3 when moto must be installed', async () => {
    process.env.EDGE_INGRESS_CACHE = scratch
    process.env.PATH = scratch
    await expect(ensureMotoServer()).rejects.toThrow(/python3 is missing: install python3 with venv support/)
  })

  it('refuses an override path that does not exist', async () => {
    process.env.EDGE_INGRESS_ETCD = join(scratch, 'no-etcd')
    await expect(ensureEtcd()).rejects.toThrow(/EDGE_INGRESS_ETCD=.*no-etcd does not exist/)
  })
})

describe('a second environment', () => {
  let second: TestEnvironment

  beforeAll(async () => {
    second = await startEnvironment({ name: 'second' })
  })

  afterAll(async () => {
    await second?.stop()
  })

  it('has its own apiserver and its own moto', async () => {
    const shared = sharedEnvironment()
    expect(second.info.kubeApiServerUrl).not.toBe(shared.kubeApiServerUrl)
    const namespace = uniqueName('only-in-second')
    await createKubeClients(second.info).core.createNamespace({ body: { metadata: { name: namespace } } })
    await expect(createKubeClients(shared).core.readNamespace({ name: namespace })).rejects.toMatchObject({ code: 404 })

    const tag = uniqueName('vpc')
    await createAwsClients(second.info).ec2.send(new CreateVpcCommand({ CidrBlock: '10.99.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'test', Value: tag }] }] }))
    const inShared = await createAwsClients(shared).ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:test', Values: [tag] }] }))
    expect(inShared.Vpcs).toEqual([])
  })

  it('leaves no process behind when stopped', async () => {
    const workDir = second.info.workDir
    expect(processesOfEnvironment(workDir)).toHaveLength(3)
    await second.stop()
    expect(processesOfEnvironment(workDir)).toEqual([])
  })
})
