import { describe, expect, it } from 'vitest'
import { route, table, type RouteSpec } from '../../../test/spec-cases/builder'
import { buildMatcher } from './matcher'
import { CLUSTER_SHARE, mergeRouteTables } from './merge'
import { normalizeRequest } from './normalize'
import { parseRouteTable } from './parse'
import { computeRevision } from './revision'
import type { Route, RouteTable } from './types'

/** A cluster's table: its gateways get the cluster's name in id and address, its routes the cluster. */
function clusterTable(cluster: string, hosts: Record<string, RouteSpec[]>, options: { fallback?: string; sharedGatewayIds?: boolean } = {}): RouteTable {
  const built = table(
    Object.fromEntries(Object.entries(hosts).map(([h, specs]) => [h, specs.map((s) => route(s))])),
    options.fallback ? { fallback: options.fallback } : {},
  )
  const rename = (id: string | null) => (id === null || options.sharedGatewayIds ? id : `${id}-${cluster}`)
  const withCluster = (r: Route): Route => ({
    ...r,
    source: { ...r.source, cluster },
    action: { ...r.action, backends: r.action.backends.map((b) => ({ ...b, gateway: rename(b.gateway) })) },
  })
  return {
    ...built,
    revision: cluster,
    gateways: Object.fromEntries(Object.values(built.gateways).map((g) => [rename(g.id)!, { ...g, id: rename(g.id)!, cluster, address: `${cluster}.nlb.example.com` }])),
    hosts: built.hosts.map((h) => ({ ...h, routes: h.routes.map(withCluster) })),
    fallback: built.fallback && { ...built.fallback, backends: built.fallback.backends.map((b) => ({ ...b, gateway: rename(b.gateway) })) },
  }
}

const shop = (spec: RouteSpec = {}): RouteSpec => ({ object: 'shop/web', prefix: '/cart', backend: 'shop/cart:8080', ...spec })

describe('mergeRouteTables', () => {
  it('makes one route of the same host + match + ports served by two clusters, with both backends', async () => {
    const merged = await mergeRouteTables([clusterTable('eu', { 'shop.io': [shop()] }), clusterTable('us', { 'shop.io': [shop()] })])
    expect(parseRouteTable(merged).ok).toBe(true)
    expect(merged.hosts).toHaveLength(1)
    const [only] = merged.hosts[0]!.routes
    expect(merged.hosts[0]!.routes).toHaveLength(1)
    expect(only!.action.backends.map((b) => [b.gateway, b.weight])).toEqual([
      ['gw-shop-cart-8080-eu', CLUSTER_SHARE],
      ['gw-shop-cart-8080-us', CLUSTER_SHARE],
    ])
    expect(Object.keys(merged.gateways)).toEqual(['gw-shop-cart-8080-eu', 'gw-shop-cart-8080-us'])
    expect(merged.revision).toBe(await computeRevision(merged))
  })

  it('gives each cluster an equal share, keeping the split inside a cluster', async () => {
    const canary = shop({ backend: [{ ref: 'shop/cart:8080', weight: 90 }, { ref: 'shop/cart-next:8080', weight: 10 }] })
    const merged = await mergeRouteTables([clusterTable('eu', { 'shop.io': [canary] }), clusterTable('us', { 'shop.io': [shop({ backend: { ref: 'shop/cart:8080', weight: 3 } })] })])
    expect(merged.hosts[0]!.routes[0]!.action.backends.map((b) => b.weight)).toEqual([9000, 1000, 10000])
  })

  it('keeps routes that differ in match or listener ports apart, and keeps ids unique', async () => {
    const merged = await mergeRouteTables([
      clusterTable('eu', { 'shop.io': [shop(), shop({ rule: 1, prefix: '/a', listenerPorts: [80, 443] })] }),
      clusterTable('us', { 'shop.io': [shop({ prefix: '/other' }), shop({ rule: 1, prefix: '/a', listenerPorts: [443, 80] }), shop({ rule: 2, prefix: '/a', listenerPorts: [80] })] }),
    ])
    expect(parseRouteTable(merged).ok).toBe(true)
    const routes = merged.hosts[0]!.routes
    expect(routes.map((r) => r.id).sort()).toEqual(['HTTPRoute/shop/web/0/0', 'HTTPRoute/shop/web/0/0#us', 'HTTPRoute/shop/web/1/0', 'HTTPRoute/shop/web/2/0'])
    expect(routes.find((r) => r.id === 'HTTPRoute/shop/web/1/0')!.action.backends).toHaveLength(2)
  })

  it('does not merge identical matches within one table (precedence decides there)', async () => {
    const merged = await mergeRouteTables([clusterTable('eu', { 'shop.io': [shop(), shop({ object: 'shop/other', backend: 'shop/other:80' })] })])
    expect(merged.hosts[0]!.routes.map((r) => r.action.backends.length)).toEqual([1, 1])
  })

  it('is deterministic: the input order does not matter', async () => {
    const a = clusterTable('eu', { 'shop.io': [shop()], 'b.io': [shop({ object: 'b/x' })] }, { fallback: 'default/fb:80' })
    const b = clusterTable('us', { 'shop.io': [shop()], 'a.io': [shop({ object: 'a/x' })] }, { fallback: 'default/fb:80' })
    const ab = await mergeRouteTables([a, b])
    expect(await mergeRouteTables([b, a])).toEqual(ab)
    expect(ab.hosts.map((h) => h.hostname)).toEqual(['a.io', 'b.io', 'shop.io'])
    expect(ab.fallback!.backends.map((x) => x.gateway)).toEqual(['gw-default-fb-80-eu', 'gw-default-fb-80-us'])
  })

  it('renames a gateway id two clusters use for different gateways, references included', async () => {
    const merged = await mergeRouteTables([
      clusterTable('eu', { 'shop.io': [shop()] }, { sharedGatewayIds: true }),
      clusterTable('us', { 'shop.io': [shop()] }, { sharedGatewayIds: true }),
    ])
    expect(parseRouteTable(merged).ok).toBe(true)
    expect(Object.keys(merged.gateways)).toEqual(['gw-shop-cart-8080@eu', 'gw-shop-cart-8080@us'])
    expect(merged.gateways['gw-shop-cart-8080@us']!.address).toBe('us.nlb.example.com')
    expect(merged.hosts[0]!.routes[0]!.action.backends.map((b) => b.gateway)).toEqual(['gw-shop-cart-8080@eu', 'gw-shop-cart-8080@us'])
  })

  it('serves the merged route from either cluster through the matcher', async () => {
    const merged = await mergeRouteTables([clusterTable('eu', { 'shop.io': [shop()] }), clusterTable('us', { 'shop.io': [shop()] })])
    const normalized = normalizeRequest({ url: 'http://shop.io/cart/1', method: 'GET', headers: new Headers() })
    if (!normalized.ok) throw new Error(normalized.error)
    const result = buildMatcher(merged).match(normalized.request)
    expect(result.kind === 'route' && result.route.action.backends.map((b) => merged.gateways[b.gateway!]!.cluster)).toEqual(['eu', 'us'])
  })
})
