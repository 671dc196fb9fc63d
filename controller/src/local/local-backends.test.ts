import { describe, expect, it } from 'vitest'
import { parseRouteTable } from '../../../edge/src/route-table/parse'
import { computeRevision } from '../../../edge/src/route-table/revision'
import { compileRoutes } from '../routes/compile'
import { withInstalledClasses } from '../routes/installed-classes'
import { pointAtLocalBackends, servicePortsOf, withPlaceholderBalancers } from './local-backends'

const service = (name: string, type = 'LoadBalancer') => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'demo' },
  spec: { type, ports: [{ name: 'http', port: 80 }, { name: 'admin', port: 9000 }] },
})
const ingress = (paths: [string, string, number][]) => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'shop', namespace: 'demo' },
  spec: { ingressClassName: 'edge-ingress', rules: [{ host: 'shop.example.com', http: { paths: paths.map(([path, name, port]) => ({ path, pathType: 'Prefix', backend: { service: { name, port: { number: port } } } })) } }] },
})

async function compileLocal(objects: Record<string, unknown>[]) {
  const { table } = await compileRoutes(withInstalledClasses(withPlaceholderBalancers(objects)), { clusterName: 'local' })
  return table
}

describe('local backends', () => {
  it('resolves exactly the LoadBalancer Services of the manifests, one stand-in per Service port', async () => {
    const table = await compileLocal([
      service('web'), service('internal', 'ClusterIP'),
      ingress([['/', 'web', 80], ['/admin', 'web', 9000], ['/internal', 'internal', 80], ['/gone', 'missing', 80]]),
    ])
    expect(servicePortsOf(table).map((s) => `${s.name}:${s.port}`).sort()).toEqual(['web:80', 'web:9000'])
  })

  it('points every resolved backend at its stand-in and leaves unresolved ones answering 500', async () => {
    const table = await compileLocal([service('web'), ingress([['/', 'web', 80], ['/admin', 'web', 9000], ['/gone', 'missing', 80]])])
    const local = new Map([['demo/web:80', { address: '127.0.0.1', port: 40001 }], ['demo/web:9000', { address: '127.0.0.1', port: 40002 }]])
    const pointed = await pointAtLocalBackends(table, local)
    const byPath = Object.fromEntries(pointed.hosts[0]!.routes.map((r) => [r.match.path.value, r.action.backends[0]!.gateway]))
    expect(byPath).toEqual({ '/': 'local/127.0.0.1:40001', '/admin': 'local/127.0.0.1:40002', '/gone': null })
    expect(Object.values(pointed.gateways).map((g) => `${g.address}:${g.port}`).sort()).toEqual(['127.0.0.1:40001', '127.0.0.1:40002'])
    // A valid table the edge accepts, with the revision of its own content.
    expect(parseRouteTable(JSON.stringify(pointed)).ok).toBe(true)
    expect(pointed.revision).toBe(await computeRevision(pointed))
    expect(pointed.revision).not.toBe(table.revision)
  })

  it('leaves Services that are not LoadBalancers, and every other object, as they are', () => {
    const objects = [service('a', 'ClusterIP'), ingress([])]
    expect(withPlaceholderBalancers(objects)).toEqual(objects)
    expect(withPlaceholderBalancers([service('b')])[0]).toMatchObject({ status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } } })
  })
})
