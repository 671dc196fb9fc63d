// Desired NLB + observed AWS state -> ordered actions (pure). The order keeps traffic
// flowing: new target groups are created and filled before a listener moves to them,
// and whatever is no longer wanted is deleted last. Settings ELBv2 cannot change on an
// existing balancer (scheme, subnets, Elastic IPs) are refused, not applied.
import type { Action, ResourceRef } from './actions'
import type { DesiredLoadBalancer, ObservedState } from './model'
import { planListeners } from './plan-listeners'
import { changedAttributes, planTargetGroups, tagActions } from './plan-target-groups'
import { ownershipTags, TAG_CONFIG } from './tags'

export interface PlanInput {
  desired: DesiredLoadBalancer
  observed: ObservedState
  /** Resolved subnet ids: the annotation's, or discovered ones when no balancer exists yet. */
  subnetIds: string[] | null
}

export interface Plan {
  actions: Action[]
  /** Immutable settings that differ from the existing balancer, one sentence each. */
  refused: string[]
  keptTargets: boolean
}

const loadBalancerDefaults = { 'load_balancing.cross_zone.enabled': 'false' }

export function plan({ desired, observed, subnetIds }: PlanInput): Plan {
  const actions: Action[] = []
  const refused: string[] = []
  const current = observed.loadBalancers.find((lb) => lb.name === desired.name) ?? observed.loadBalancers[0]
  let lbRef: ResourceRef
  if (!current) {
    if (!subnetIds || subnetIds.length === 0) throw new Error('plan needs subnet ids to create a load balancer')
    lbRef = { pending: desired.name }
    actions.push({
      type: 'createLoadBalancer',
      name: desired.name,
      scheme: desired.scheme,
      subnetIds,
      eipAllocations: desired.eipAllocations,
      tags: desired.tags,
    })
    const attributes = changedAttributes(desired.attributes, {}, loadBalancerDefaults)
    if (Object.keys(attributes).length > 0) actions.push({ type: 'modifyLoadBalancerAttributes', loadBalancer: lbRef, attributes })
  } else {
    lbRef = { arn: current.arn }
    refused.push(...immutableChanges(desired, current, subnetIds))
    actions.push(...tagActions(lbRef, desired.tags, current.tags))
    if (observed.config) {
      const attributes = changedAttributes(desired.attributes, observed.config.loadBalancerAttributes, loadBalancerDefaults)
      if (Object.keys(attributes).length > 0) actions.push({ type: 'modifyLoadBalancerAttributes', loadBalancer: lbRef, attributes })
    }
  }

  const groups = planTargetGroups(desired, observed, lbRef)
  actions.push(...groups.actions)
  const listeners = planListeners(desired.listeners, current ? observed.listeners.filter((l) => l.loadBalancerArn === current.arn) : [], lbRef, groups.refs, ownershipTags(desired.identity))
  actions.push(...listeners.deletes, ...listeners.modifies, ...listeners.creates)
  for (const extra of observed.loadBalancers) {
    if (extra !== current) actions.push({ type: 'deleteLoadBalancer', arn: extra.arn, name: extra.name })
  }
  for (const group of groups.unwanted) actions.push({ type: 'deleteTargetGroup', arn: group.arn, name: group.name })
  // Written last: the tag vouches that everything before it was applied.
  if (!current || current.tags[TAG_CONFIG] !== desired.configHash) actions.push({ type: 'addTags', resource: lbRef, tags: { [TAG_CONFIG]: desired.configHash } })
  return { actions, refused, keptTargets: groups.keptTargets && desired.targetGroups.length > 0 }
}

function immutableChanges(desired: DesiredLoadBalancer, current: ObservedState['loadBalancers'][number], subnetIds: string[] | null): string[] {
  const refused: string[] = []
  if (current.scheme !== desired.scheme) refused.push(`scheme is ${current.scheme} on the existing load balancer and cannot change to ${desired.scheme}`)
  if (desired.subnets && subnetIds && !sameSet(subnetIds, current.subnetIds))
    refused.push(`subnets are ${current.subnetIds.join(', ')} on the existing load balancer and cannot change to ${subnetIds.join(', ')}`)
  if (desired.eipAllocations && !sameSet(desired.eipAllocations, current.allocationIds))
    refused.push(`Elastic IPs cannot be changed on the existing load balancer (it has ${current.allocationIds.join(', ') || 'none'})`)
  return refused
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',')

/** Everything tagged for a Service, removed: the balancer (its listeners go with it), then its target groups. */
export function planDeletion(observed: ObservedState): Action[] {
  return [
    ...observed.loadBalancers.map((lb): Action => ({ type: 'deleteLoadBalancer', arn: lb.arn, name: lb.name })),
    ...observed.targetGroups.map((g): Action => ({ type: 'deleteTargetGroup', arn: g.arn, name: g.name })),
  ]
}
