// Which nodes become targets: ready nodes with an AWS providerID, minus those excluded
// by label, marked for deletion by the cluster autoscaler, or not matching the
// Service's target-node-labels.
import type { NodeObject } from '../ports/kubernetes-objects'

export const EXCLUDE_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers'
export const TO_BE_DELETED_TAINT = 'ToBeDeletedByClusterAutoscaler'

export interface SkippedNode {
  node: string
  reason: 'no-provider-id' | 'excluded-by-label' | 'to-be-deleted'
}

export interface TargetSelection {
  /** Instance ids of ready, eligible nodes, sorted. */
  instanceIds: string[]
  /** Eligible nodes that are not Ready: names, and their instance ids. */
  notReady: string[]
  notReadyInstanceIds: string[]
  skipped: SkippedNode[]
}

/** aws:///us-east-1a/i-0123456789abcdef0 -> i-0123456789abcdef0 */
export function instanceIdFromProviderId(providerId: string | undefined): string | null {
  const match = /^aws:\/\/\/(?:[a-z0-9-]+\/)?(i-[0-9a-f]{8,17})$/.exec(providerId ?? '')
  return match ? match[1]! : null
}

const isReady = (node: NodeObject) => node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false

export function selectTargets(nodes: readonly NodeObject[], requiredLabels: Record<string, string>): TargetSelection {
  const instanceIds = new Set<string>()
  const notReady: string[] = []
  const notReadyInstanceIds = new Set<string>()
  const skipped: SkippedNode[] = []
  for (const node of nodes) {
    const labels = node.metadata.labels ?? {}
    if (!Object.entries(requiredLabels).every(([k, v]) => labels[k] === v)) continue
    const name = node.metadata.name
    if (EXCLUDE_LABEL in labels) skipped.push({ node: name, reason: 'excluded-by-label' })
    else if (node.spec?.taints?.some((t) => t.key === TO_BE_DELETED_TAINT)) skipped.push({ node: name, reason: 'to-be-deleted' })
    else {
      const id = instanceIdFromProviderId(node.spec?.providerID)
      if (!id) skipped.push({ node: name, reason: 'no-provider-id' })
      else if (!isReady(node)) {
        notReady.push(name)
        notReadyInstanceIds.add(id)
      }
      else instanceIds.add(id)
    }
  }
  return {
    instanceIds: [...instanceIds].sort(),
    notReady: notReady.sort(),
    notReadyInstanceIds: [...notReadyInstanceIds].sort(),
    skipped: skipped.sort((a, b) => a.node.localeCompare(b.node)),
  }
}

/**
 * Most eligible nodes NotReady at once points at the cluster (control plane, network), not
 * at the nodes: NotReady nodes then stay registered and the balancer's own health checks
 * decide. A minority of NotReady nodes is deregistered as usual.
 */
export const mostNodesNotReady = (t: { targetInstanceIds: string[]; notReadyInstanceIds: string[] }) =>
  t.notReadyInstanceIds.length > t.targetInstanceIds.length

/** What about a node matters for targets; node updates that do not change it enqueue nothing. */
export function nodeTargetSignature(node: NodeObject): string {
  return JSON.stringify([
    node.spec?.providerID ?? '',
    isReady(node),
    node.metadata.labels ?? {},
    (node.spec?.taints ?? []).filter((t) => t.key === TO_BE_DELETED_TAINT).length,
  ])
}
