// Target group steps: create what is missing (ready, with targets, before any listener
// points at it), bring existing groups to the desired health check, attributes, tags and
// targets, and list the groups no longer wanted (deleted last, by plan.ts).
import type { HealthCheck, Tags } from '../ports/elbv2'
import type { Action, ResourceRef } from './actions'
import { targetGroupAttributeRules } from './annotations/target-group-attributes'
import type { DesiredLoadBalancer, ObservedState, ObservedTargetGroup } from './model'
import { mostNodesNotReady } from './node-targets'
import { TAG_CONFIG } from './tags'

export interface TargetGroupPlan {
  actions: Action[]
  /** Desired group name -> where it is (existing ARN or created in this plan). */
  refs: Map<string, ResourceRef>
  unwanted: ObservedTargetGroup[]
  /** True when most nodes are NotReady and registered NotReady nodes were kept. */
  keptTargets: boolean
}

export function planTargetGroups(desired: DesiredLoadBalancer, observed: ObservedState, loadBalancer: ResourceRef): TargetGroupPlan {
  const actions: Action[] = []
  const refs = new Map<string, ResourceRef>()
  const byName = new Map(observed.targetGroups.map((g) => [g.name, g]))
  const keptTargets = mostNodesNotReady(desired)
  // Most nodes NotReady: ready nodes plus the NotReady ones already registered, rather than draining the service.
  const notReady = new Set(desired.notReadyInstanceIds)
  const registeredNotReady = observed.targetGroups.flatMap((g) => serving(g).map((t) => t.id)).filter((id) => notReady.has(id))
  const wantedIds = keptTargets ? [...new Set([...desired.targetInstanceIds, ...registeredNotReady])].sort() : desired.targetInstanceIds

  for (const group of desired.targetGroups) {
    const existing = byName.get(group.name)
    if (!existing) {
      refs.set(group.name, { pending: group.name })
      actions.push({
        type: 'createTargetGroup',
        name: group.name,
        loadBalancer,
        protocol: group.protocol,
        port: group.port,
        healthCheck: group.healthCheck,
        tags: group.tags,
        attributes: changedAttributes(group.attributes, {}),
        instanceIds: wantedIds,
      })
      continue
    }
    const ref = { arn: existing.arn }
    refs.set(group.name, ref)
    if (!sameHealthCheck(existing.healthCheck, group.healthCheck))
      actions.push({ type: 'modifyTargetGroupHealthCheck', targetGroup: ref, name: group.name, healthCheck: group.healthCheck })
    if (observed.config) {
      const changed = changedAttributes(group.attributes, observed.config.targetGroupAttributes[existing.arn] ?? {})
      if (Object.keys(changed).length > 0) actions.push({ type: 'modifyTargetGroupAttributes', targetGroup: ref, name: group.name, attributes: changed })
      actions.push(...tagActions(ref, group.tags, observed.config.targetGroupTags[existing.arn] ?? {}))
    }
    const registered = serving(existing)
    const registeredIds = new Set(registered.map((t) => t.id))
    const missing = wantedIds.filter((id) => !registeredIds.has(id))
    if (missing.length > 0) actions.push({ type: 'registerTargets', targetGroup: ref, name: group.name, instanceIds: missing })
    const wanted = new Set(wantedIds)
    const extra = registered.filter((t) => !wanted.has(t.id)).map((t) => ({ id: t.id, port: t.port }))
    if (extra.length > 0) actions.push({ type: 'deregisterTargets', targetGroup: ref, name: group.name, targets: extra })
  }
  const wantedNames = new Set(desired.targetGroups.map((g) => g.name))
  return { actions, refs, unwanted: observed.targetGroups.filter((g) => !wantedNames.has(g.name)), keptTargets }
}

/**
 * Registered targets that still count: a deregistered target stays listed as `draining`
 * for the deregistration delay; it is neither deregistered again nor counted as present
 * (registering it again is how ELBv2 brings it back).
 */
const serving = (group: ObservedTargetGroup) => (group.targets ?? []).filter((t) => t.state !== 'draining')

/** Desired attributes whose value differs from the actual one (or from the ELBv2 default when not reported). */
export function changedAttributes(desired: Record<string, string>, actual: Record<string, string>, defaults = attributeDefaults): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(desired)) {
    if ((actual[key] ?? defaults[key]) !== value) out[key] = value
  }
  return out
}

const attributeDefaults: Record<string, string> = Object.fromEntries(
  Object.entries(targetGroupAttributeRules).map(([key, rule]) => [key, rule.awsDefault]),
)

/** Tags to add or change, and tags to remove; the config-hash tag and aws:* tags are not ours to diff here. */
export function tagActions(resource: ResourceRef, desired: Tags, actual: Tags): Action[] {
  const actions: Action[] = []
  const add = Object.fromEntries(Object.entries(desired).filter(([k, v]) => actual[k] !== v))
  if (Object.keys(add).length > 0) actions.push({ type: 'addTags', resource, tags: add })
  const remove = Object.keys(actual).filter((k) => !(k in desired) && k !== TAG_CONFIG && !k.toLowerCase().startsWith('aws:'))
  if (remove.length > 0) actions.push({ type: 'removeTags', resource, keys: remove.sort() })
  return actions
}

export function sameHealthCheck(actual: HealthCheck, desired: HealthCheck): boolean {
  return (
    actual.protocol === desired.protocol &&
    actual.port === desired.port &&
    (desired.protocol === 'TCP' || actual.path === desired.path) &&
    actual.intervalSeconds === desired.intervalSeconds &&
    actual.timeoutSeconds === desired.timeoutSeconds &&
    actual.healthyThreshold === desired.healthyThreshold &&
    actual.unhealthyThreshold === desired.unhealthyThreshold
  )
}
