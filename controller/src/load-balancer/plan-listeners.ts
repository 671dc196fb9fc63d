// Listener steps, matched by port: modify in place what differs (protocol, target group,
// certificate, policy), create what is missing, delete listeners of ports no longer served.
import type { Tags } from '../ports/elbv2'
import type { Action, ResourceRef } from './actions'
import { refName } from './actions'
import type { DesiredListener, ObservedListener } from './model'

export interface ListenerPlan {
  deletes: Action[]
  modifies: Action[]
  creates: Action[]
}

export function planListeners(
  desired: DesiredListener[],
  observed: ObservedListener[],
  loadBalancer: ResourceRef,
  targetGroups: Map<string, ResourceRef>,
  tags: Tags,
): ListenerPlan {
  const plan: ListenerPlan = { deletes: [], modifies: [], creates: [] }
  const byPort = new Map<number, ObservedListener>()
  for (const have of observed) {
    // Only one listener per port can exist in ELBv2; a second one is a leftover to remove.
    if (byPort.has(have.port)) plan.deletes.push({ type: 'deleteListener', arn: have.arn, port: have.port })
    else byPort.set(have.port, have)
  }
  for (const want of desired) {
    const targetGroup = targetGroups.get(want.targetGroupName)!
    const have = byPort.get(want.port)
    if (!have) {
      plan.creates.push({
        type: 'createListener',
        loadBalancer,
        port: want.port,
        protocol: want.protocol,
        targetGroup,
        certificateArn: want.certificateArn,
        extraCertificateArns: want.extraCertificateArns,
        sslPolicy: want.sslPolicy,
        tags,
      })
      continue
    }
    const changes: string[] = []
    if (have.protocol !== want.protocol) changes.push(`protocol ${have.protocol} -> ${want.protocol}`)
    const currentGroup = have.targetGroupArns.length === 1 ? have.targetGroupArns[0] : undefined
    if (!('arn' in targetGroup) || currentGroup !== targetGroup.arn) changes.push(`target group -> ${refName(targetGroup)}`)
    if (have.certificateArn !== want.certificateArn) changes.push(`certificate -> ${want.certificateArn ?? 'none'}`)
    if (want.sslPolicy !== null && have.sslPolicy !== want.sslPolicy) changes.push(`ssl policy -> ${want.sslPolicy}`)
    if (changes.length > 0)
      plan.modifies.push({
        type: 'modifyListener',
        arn: have.arn,
        loadBalancer,
        port: want.port,
        protocol: want.protocol,
        targetGroup,
        certificateArn: want.certificateArn,
        sslPolicy: want.sslPolicy,
        changes,
        tags,
      })
    if (have.extraCertificateArns !== null) {
      const add = want.extraCertificateArns.filter((c) => !have.extraCertificateArns!.includes(c))
      const remove = have.extraCertificateArns.filter((c) => !want.extraCertificateArns.includes(c))
      if (add.length > 0) plan.modifies.push({ type: 'addListenerCertificates', listenerArn: have.arn, port: want.port, certificateArns: add })
      if (remove.length > 0) plan.modifies.push({ type: 'removeListenerCertificates', listenerArn: have.arn, port: want.port, certificateArns: remove })
    }
  }
  const wantedPorts = new Set(desired.map((l) => l.port))
  for (const have of byPort.values()) {
    if (!wantedPorts.has(have.port)) plan.deletes.push({ type: 'deleteListener', arn: have.arn, port: have.port })
  }
  return plan
}
