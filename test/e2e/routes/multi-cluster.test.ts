// Two clusters (two apiservers, two moto servers, two controllers with their own cluster
// names) serving the same host and path, merged at one Node edge that follows both
// controllers' endpoints. Traffic goes to both; with one controller stopped the edge keeps
// that cluster's last table; with one cluster's gateway down the edge fails over to the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEnvironment, type TestEnvironment } from '../../env/environment'
import { gateway, httpRoute } from '../../integration/routes/support/objects'
import { startController, startNodeEdge, workDir, type RunningController, type RunningEdge } from './support/cli'
import { apply, createE2eCluster, type E2eCluster } from './support/cluster'
import { get, until } from './support/requests'

const HOST = 'shop.multi.example.test'
const environments: TestEnvironment[] = []
const clusters: Record<'a' | 'b', E2eCluster> = {} as never
const controllers: Record<'a' | 'b', RunningController> = {} as never
let edge: RunningEdge

async function servedBy(count: number): Promise<Record<string, number>> {
  const tally: Record<string, number> = {}
  for (let i = 0; i < count; i++) {
    const answer = await get(edge.url, HOST, `/cart?i=${i}`)
    const key = answer.status === 200 ? answer.servedBy ?? 'unknown' : `status ${answer.status}`
    tally[key] = (tally[key] ?? 0) + 1
  }
  return tally
}

beforeAll(async () => {
  const dir = await workDir()
  for (const name of ['a', 'b'] as const) {
    const environment = await startEnvironment({ name: `multi-${name}` })
    environments.push(environment)
    const cluster = await createE2eCluster(environment.info, `mc${name}`, ['web'])
    clusters[name] = cluster
    const ns = cluster.namespace
    await apply(
      cluster.kube,
      cluster.backendService('web'),
      gateway(ns, 'edge', [{ name: 'http', protocol: 'HTTP', port: 80, hostname: '*.multi.example.test' }]),
      httpRoute(ns, 'shop', { parentRefs: [{ name: 'edge' }], hostnames: [HOST], rules: [{ backendRefs: [{ name: 'web', port: cluster.echo.web!.port }] }] }),
    )
    controllers[name] = await startController(environment.info, dir, { cluster: cluster.world.cluster })
  }
  edge = await startNodeEdge(dir, 'multi', ['--source', controllers.a.routeTableUrl, '--source', controllers.b.routeTableUrl])
})

afterAll(async () => {
  await edge?.stop()
  for (const c of Object.values(controllers)) await c?.stop()
  for (const c of Object.values(clusters)) await c?.dispose()
  for (const e of environments) await e.stop()
})

describe('two clusters merged at one edge', () => {
  it('sends the shared host to the gateways of both clusters', async () => {
    await until(() => get(edge.url, HOST), { servedBy: 'mca-web' }, 'cluster a served')
    await until(() => get(edge.url, HOST), { servedBy: 'mcb-web' }, 'cluster b served')
    const tally = await servedBy(60)
    expect(Object.keys(tally).sort()).toEqual(['mca-web', 'mcb-web'])
    expect(Math.min(tally['mca-web']!, tally['mcb-web']!)).toBeGreaterThan(5)
  })

  it('keeps serving both clusters when one controller is down (its last table stays)', async () => {
    await controllers.b.stop()
    const tally = await servedBy(60)
    expect(Object.keys(tally).sort()).toEqual(['mca-web', 'mcb-web'])
    expect(edge.process.lastLogLines(400)).toMatch(/route-table-source-failed/)
  })

  it('keeps every request succeeding when one cluster gateway goes down: the edge fails over to the other', async () => {
    await clusters.b.echo.web!.close()
    const tally = await servedBy(60)
    expect(tally).toEqual({ 'mca-web': 60 })
  })
})
