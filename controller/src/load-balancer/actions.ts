// The steps a plan is made of: one ELBv2 change each (creates carry the few follow-up
// calls that belong to them). A resource created earlier in the same plan is referred to
// by name until apply knows its ARN.
import type { HealthCheck, ListenerProtocol, Scheme, TargetGroupProtocol, Tags } from '../ports/elbv2'

export type ResourceRef = { arn: string } | { pending: string }

export type Action =
  | { type: 'createLoadBalancer'; name: string; scheme: Scheme; subnetIds: string[]; eipAllocations: string[] | null; tags: Tags }
  | { type: 'modifyLoadBalancerAttributes'; loadBalancer: ResourceRef; attributes: Record<string, string> }
  | { type: 'addTags'; resource: ResourceRef; tags: Tags }
  | { type: 'removeTags'; resource: ResourceRef; keys: string[] }
  | {
      type: 'createTargetGroup'
      name: string
      loadBalancer: ResourceRef
      protocol: TargetGroupProtocol
      port: number
      healthCheck: HealthCheck
      tags: Tags
      /** Attributes that differ from the ELBv2 defaults. */
      attributes: Record<string, string>
      instanceIds: string[]
    }
  | { type: 'modifyTargetGroupHealthCheck'; targetGroup: ResourceRef; name: string; healthCheck: HealthCheck }
  | { type: 'modifyTargetGroupAttributes'; targetGroup: ResourceRef; name: string; attributes: Record<string, string> }
  | { type: 'registerTargets'; targetGroup: ResourceRef; name: string; instanceIds: string[] }
  | { type: 'deregisterTargets'; targetGroup: ResourceRef; name: string; targets: { id: string; port: number }[] }
  | {
      type: 'createListener'
      loadBalancer: ResourceRef
      port: number
      protocol: ListenerProtocol
      targetGroup: ResourceRef
      certificateArn: string | null
      extraCertificateArns: string[]
      sslPolicy: string | null
      /** Ownership tags: the IAM policy lets the controller change only listeners that carry them. */
      tags: Tags
    }
  | {
      type: 'modifyListener'
      arn: string
      loadBalancer: ResourceRef
      port: number
      protocol: ListenerProtocol
      targetGroup: ResourceRef
      certificateArn: string | null
      sslPolicy: string | null
      /** Human-readable list of what changes, for logs and dry runs. */
      changes: string[]
      /** For a listener that has to be replaced (see apply.ts). */
      tags: Tags
    }
  | { type: 'addListenerCertificates'; listenerArn: string; port: number; certificateArns: string[] }
  | { type: 'removeListenerCertificates'; listenerArn: string; port: number; certificateArns: string[] }
  | { type: 'deleteListener'; arn: string; port: number }
  | { type: 'deleteLoadBalancer'; arn: string; name: string }
  | { type: 'deleteTargetGroup'; arn: string; name: string }

export const refName = (ref: ResourceRef) => ('arn' in ref ? ref.arn : ref.pending)
