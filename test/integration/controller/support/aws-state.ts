// What exists in moto for one cluster, read with the plain AWS SDK (not the controller's
// adapter): every balancer and target group tagged with the cluster, with listeners,
// registered targets, attributes and tags. Tests count these to prove "no duplicate, no leak".
import {
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
  type Listener,
  type LoadBalancer,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2'

export const CLUSTER_TAG = 'edge-ingress.io/cluster'

export interface BalancerState {
  balancer: LoadBalancer
  tags: Record<string, string>
  attributes: Record<string, string>
  listeners: Listener[]
}

export interface TargetGroupState {
  group: TargetGroup
  tags: Record<string, string>
  attributes: Record<string, string>
  targets: { id: string; port: number }[]
}

export interface ClusterState {
  balancers: BalancerState[]
  targetGroups: TargetGroupState[]
}

export async function clusterState(elbv2: ElasticLoadBalancingV2Client, cluster: string): Promise<ClusterState> {
  // A resource the controller deletes between the list and a describe: read everything again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await readClusterState(elbv2, cluster)
    } catch (error) {
      if (!/NotFound/.test((error as Error).name) || attempt >= 5) throw error
    }
  }
}

async function readClusterState(elbv2: ElasticLoadBalancingV2Client, cluster: string): Promise<ClusterState> {
  const balancers = await pages((Marker) => elbv2.send(new DescribeLoadBalancersCommand({ Marker })).then((r) => [r.LoadBalancers ?? [], r.NextMarker] as const))
  const groups = await pages((Marker) => elbv2.send(new DescribeTargetGroupsCommand({ Marker })).then((r) => [r.TargetGroups ?? [], r.NextMarker] as const))
  const tags = await tagsOf(elbv2, [...balancers.map((b) => b.LoadBalancerArn!), ...groups.map((g) => g.TargetGroupArn!)])
  const ours = (arn: string | undefined) => tags.get(arn ?? '')?.[CLUSTER_TAG] === cluster
  const state: ClusterState = { balancers: [], targetGroups: [] }
  for (const balancer of balancers.filter((b) => ours(b.LoadBalancerArn))) {
    const arn = balancer.LoadBalancerArn!
    const [listeners, attributes] = await Promise.all([
      elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: arn })).then((r) => r.Listeners ?? []),
      elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn })).then((r) => attributeMap(r.Attributes)),
    ])
    state.balancers.push({ balancer, tags: tags.get(arn)!, attributes, listeners: listeners.sort((a, b) => (a.Port ?? 0) - (b.Port ?? 0)) })
  }
  for (const group of groups.filter((g) => ours(g.TargetGroupArn))) {
    const arn = group.TargetGroupArn!
    const [health, attributes] = await Promise.all([
      elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn })),
      elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn })).then((r) => attributeMap(r.Attributes)),
    ])
    const targets = (health.TargetHealthDescriptions ?? []).map((d) => ({ id: d.Target!.Id!, port: d.Target!.Port ?? 0 })).sort((a, b) => a.id.localeCompare(b.id))
    state.targetGroups.push({ group, tags: tags.get(arn)!, attributes, targets })
  }
  state.targetGroups.sort((a, b) => (a.group.TargetGroupName ?? '').localeCompare(b.group.TargetGroupName ?? ''))
  return state
}

/** The balancers and target groups of one Service (by its ownership tags). */
export function serviceState(state: ClusterState, namespace: string, name: string): ClusterState {
  const mine = (tags: Record<string, string>) => tags['edge-ingress.io/service-namespace'] === namespace && tags['edge-ingress.io/service-name'] === name
  return { balancers: state.balancers.filter((b) => mine(b.tags)), targetGroups: state.targetGroups.filter((g) => mine(g.tags)) }
}

/** The listener on `port` and the target group it forwards to. */
export function listenerOn(state: ClusterState, port: number): { listener: Listener; group: TargetGroupState | undefined } {
  const listener = state.balancers.flatMap((b) => b.listeners).find((l) => l.Port === port)
  if (!listener) throw new Error(`no listener on port ${port}`)
  const arn = listener.DefaultActions?.[0]?.TargetGroupArn ?? listener.DefaultActions?.[0]?.ForwardConfig?.TargetGroups?.[0]?.TargetGroupArn
  return { listener, group: state.targetGroups.find((g) => g.group.TargetGroupArn === arn) }
}

/** Counts for "no duplicate, no leak" assertions. */
export function counts(state: ClusterState): { balancers: number; targetGroups: number; listeners: number } {
  return {
    balancers: state.balancers.length,
    targetGroups: state.targetGroups.length,
    listeners: state.balancers.reduce((n, b) => n + b.listeners.length, 0),
  }
}

async function tagsOf(elbv2: ElasticLoadBalancingV2Client, arns: string[]): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>()
  for (let i = 0; i < arns.length; i += 20) {
    const r = await elbv2.send(new DescribeTagsCommand({ ResourceArns: arns.slice(i, i + 20) }))
    for (const d of r.TagDescriptions ?? []) out.set(d.ResourceArn!, attributeMap(d.Tags))
  }
  return out
}

/** Every item of a Marker-paged ELBv2 list. */
export async function pages<T>(read: (marker: string | undefined) => Promise<readonly [T[], string | undefined]>): Promise<T[]> {
  const out: T[] = []
  let marker: string | undefined
  do {
    const [items, next] = await read(marker)
    out.push(...items)
    marker = next
  } while (marker)
  return out
}

const attributeMap = (pairs: { Key?: string; Value?: string }[] | undefined) => Object.fromEntries((pairs ?? []).map((p) => [p.Key ?? '', p.Value ?? '']))
