// Executes a plan's actions in order through the ELBv2 port, resolving resources created
// earlier in the same plan by name. Stops at the first failure (the next reconcile
// re-reads AWS and plans again) and reports which ARNs exist afterwards either way.
import type { LoadBalancingApi, LoadBalancerDescription } from '../ports/elbv2'
import { isAwsError } from '../ports/elbv2'
import type { Action, ResourceRef } from './actions'

export interface ApplyResult {
  /** ARNs created, and ARNs deleted, by the actions that ran (also when one failed). */
  created: { loadBalancers: string[]; targetGroups: string[] }
  deleted: Set<string>
  error: unknown | null
  /** Listener protocol changes ELBv2 refused in place and that were done by replacing the listener. */
  replacedListeners: number[]
  /**
   * The error is ELBv2 refusing to delete a target group that a listener of this same plan
   * just stopped using (it finishes detaching asynchronously): worth a quick retry, not an alarm.
   */
  retrySoon: boolean
}

export const IN_USE_RETRY_MS = 2_000

const detaching = new Set<Action['type']>(['deleteLoadBalancer', 'deleteListener', 'modifyListener', 'createListener'])

export async function applyPlan(api: LoadBalancingApi, actions: readonly Action[], existingLoadBalancers: readonly LoadBalancerDescription[]): Promise<ApplyResult> {
  const arns = new Map<string, string>()
  const balancers = new Map(existingLoadBalancers.map((lb) => [lb.arn, lb]))
  const result: ApplyResult = { created: { loadBalancers: [], targetGroups: [] }, deleted: new Set(), error: null, replacedListeners: [], retrySoon: false }
  let detached = false
  const arnOf = (ref: ResourceRef) => {
    if ('arn' in ref) return ref.arn
    const arn = arns.get(ref.pending)
    if (!arn) throw new Error(`plan refers to ${ref.pending}, which was not created`)
    return arn
  }
  try {
    for (const action of actions) {
      await run(action)
      detached ||= detaching.has(action.type)
    }
  } catch (error) {
    result.error = error
    result.retrySoon = detached && isAwsError(error, 'ResourceInUse')
  }
  return result

  async function run(a: Action): Promise<void> {
    switch (a.type) {
      case 'createLoadBalancer': {
        const lb = await api.createLoadBalancer({ name: a.name, scheme: a.scheme, ipAddressType: 'ipv4', subnetIds: a.subnetIds, eipAllocations: a.eipAllocations, tags: a.tags })
        arns.set(a.name, lb.arn)
        balancers.set(lb.arn, lb)
        result.created.loadBalancers.push(lb.arn)
        return
      }
      case 'modifyLoadBalancerAttributes':
        return api.modifyLoadBalancerAttributes(arnOf(a.loadBalancer), a.attributes)
      case 'addTags':
        return api.addTags(arnOf(a.resource), a.tags)
      case 'removeTags':
        return api.removeTags(arnOf(a.resource), a.keys)
      case 'createTargetGroup': {
        const vpcId = balancers.get(arnOf(a.loadBalancer))?.vpcId
        if (!vpcId) throw new Error(`no VPC known for the load balancer of target group ${a.name}`)
        const group = await api.createTargetGroup({ name: a.name, protocol: a.protocol, port: a.port, vpcId, healthCheck: a.healthCheck, tags: a.tags })
        arns.set(a.name, group.arn)
        result.created.targetGroups.push(group.arn)
        if (Object.keys(a.attributes).length > 0) await api.modifyTargetGroupAttributes(group.arn, a.attributes)
        if (a.instanceIds.length > 0) await api.registerTargets(group.arn, a.instanceIds)
        return
      }
      case 'modifyTargetGroupHealthCheck':
        return api.modifyTargetGroupHealthCheck(arnOf(a.targetGroup), a.healthCheck)
      case 'modifyTargetGroupAttributes':
        return api.modifyTargetGroupAttributes(arnOf(a.targetGroup), a.attributes)
      case 'registerTargets':
        return api.registerTargets(arnOf(a.targetGroup), a.instanceIds)
      case 'deregisterTargets':
        return api.deregisterTargets(arnOf(a.targetGroup), a.targets)
      case 'createListener': {
        const spec = { port: a.port, protocol: a.protocol, targetGroupArn: arnOf(a.targetGroup), certificateArn: a.certificateArn, sslPolicy: a.sslPolicy, alpnPolicy: null }
        const listener = await api.createListener(arnOf(a.loadBalancer), spec, a.tags)
        if (a.extraCertificateArns.length > 0) await api.addListenerCertificates(listener.arn, a.extraCertificateArns)
        return
      }
      case 'modifyListener': {
        const spec = { port: a.port, protocol: a.protocol, targetGroupArn: arnOf(a.targetGroup), certificateArn: a.certificateArn, sslPolicy: a.sslPolicy, alpnPolicy: null }
        try {
          await api.modifyListener(a.arn, spec)
        } catch (error) {
          // Some ELBv2 implementations (moto) refuse protocol changes in place; replacing
          // the listener reaches the same end state at the cost of a moment without it.
          if (!isAwsError(error, 'UnsupportedProtocol')) throw error
          await api.deleteListener(a.arn)
          await api.createListener(arnOf(a.loadBalancer), spec, a.tags)
          result.replacedListeners.push(a.port)
        }
        return
      }
      case 'addListenerCertificates':
        return api.addListenerCertificates(a.listenerArn, a.certificateArns)
      case 'removeListenerCertificates':
        return api.removeListenerCertificates(a.listenerArn, a.certificateArns)
      case 'deleteListener':
        return api.deleteListener(a.arn)
      case 'deleteLoadBalancer':
        await api.deleteLoadBalancer(a.arn)
        result.deleted.add(a.arn)
        return
      case 'deleteTargetGroup':
        try {
          await api.deleteTargetGroup(a.arn)
        } catch (error) {
          if (!isAwsError(error, 'TargetGroupNotFound')) throw error
        }
        result.deleted.add(a.arn)
        return
    }
  }
}
