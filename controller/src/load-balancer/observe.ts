// Reads what exists in AWS for one Service, starting from the inventory: listeners of its
// balancer and targets of its wanted target groups (the steady-state reads), plus
// attributes, tags and extra certificates only when the config-hash tag is out of date.
// Before anything would be created, a lookup by the deterministic name adopts a resource
// that was created but never recorded (a crash right after the create call).
import type { LoadBalancingApi } from '../ports/elbv2'
import type { OwnedResources } from './inventory'
import type { DesiredLoadBalancer, ObservedConfig, ObservedState } from './model'
import { mostNodesNotReady } from './node-targets'
import { ownerKey, TAG_CONFIG } from './tags'

export class ForeignResourceError extends Error {
  override readonly name = 'ForeignResourceError'
}

export async function adoptByName(api: LoadBalancingApi, owned: OwnedResources, desired: DesiredLoadBalancer, key: string): Promise<OwnedResources> {
  const cluster = desired.identity.cluster
  const result: OwnedResources = { loadBalancers: [...owned.loadBalancers], targetGroups: [...owned.targetGroups] }
  if (!owned.loadBalancers.some((lb) => lb.name === desired.name)) {
    const lb = await api.findLoadBalancerByName(desired.name)
    if (lb) {
      const tags = (await api.describeTags([lb.arn])).get(lb.arn) ?? {}
      if (ownerKey(tags, cluster) !== key) throw new ForeignResourceError(`load balancer ${desired.name} exists but is not tagged for ${key} in cluster ${cluster}`)
      result.loadBalancers.push({ ...lb, tags })
    }
  }
  for (const group of desired.targetGroups) {
    if (owned.targetGroups.some((g) => g.name === group.name)) continue
    const found = await api.findTargetGroupByName(group.name)
    if (!found) continue
    const tags = (await api.describeTags([found.arn])).get(found.arn) ?? {}
    if (ownerKey(tags, cluster) !== key) throw new ForeignResourceError(`target group ${group.name} exists but is not tagged for ${key} in cluster ${cluster}`)
    result.targetGroups.push(found)
  }
  return result
}

export async function observe(api: LoadBalancingApi, owned: OwnedResources, desired: DesiredLoadBalancer): Promise<ObservedState> {
  const wanted = new Set(desired.targetGroups.map((g) => g.name))
  // With most nodes NotReady the plan keeps registered NotReady targets, wherever they are registered.
  const readAllTargets = mostNodesNotReady(desired)
  const targetGroups = await Promise.all(
    owned.targetGroups.map(async (g) => ({ ...g, targets: wanted.has(g.name) || readAllTargets ? await api.describeTargets(g.arn) : null })),
  )
  const current = owned.loadBalancers.find((lb) => lb.name === desired.name) ?? owned.loadBalancers[0]
  // Listeners of other (duplicate) balancers go with them when the plan deletes them.
  const listeners = current ? await api.describeListeners(current.arn) : []
  const readConfig = current !== undefined && current.tags[TAG_CONFIG] !== desired.configHash
  let config: ObservedConfig | null = null
  if (readConfig) {
    const kept = owned.targetGroups.filter((g) => wanted.has(g.name))
    const [loadBalancerAttributes, groupAttributes, groupTags] = await Promise.all([
      api.describeLoadBalancerAttributes(current.arn),
      Promise.all(kept.map(async (g) => [g.arn, await api.describeTargetGroupAttributes(g.arn)] as const)),
      api.describeTags(kept.map((g) => g.arn)),
    ])
    config = { loadBalancerAttributes, targetGroupAttributes: Object.fromEntries(groupAttributes), targetGroupTags: Object.fromEntries(groupTags) }
  }
  const withCertificates = await Promise.all(
    listeners.map(async (l) => ({
      ...l,
      extraCertificateArns: readConfig && l.protocol === 'TLS' ? await api.describeListenerExtraCertificates(l.arn) : null,
    })),
  )
  return { loadBalancers: owned.loadBalancers, listeners: withCertificates, targetGroups, config }
}
