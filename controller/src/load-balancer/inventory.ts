// Which balancers and target groups belong to which Service, found by tags. A full
// discovery lists every balancer and target group (paged) and reads tags in batches of
// 20; a target group attached to one of our balancers belongs to that balancer's Service,
// only unattached ones need their own tags read. The result is a cache of AWS state: each
// reconcile writes back what it changed, and a periodic refresh catches everything else.
import type { LoadBalancerDescription, LoadBalancingApi, TargetGroupDescription, Tags } from '../ports/elbv2'
import { NAME_PREFIX } from './names'
import { ownerKey } from './tags'

export interface OwnedResources {
  loadBalancers: (LoadBalancerDescription & { tags: Tags })[]
  targetGroups: TargetGroupDescription[]
}

export const noResources = (): OwnedResources => ({ loadBalancers: [], targetGroups: [] })

export class Inventory {
  private entries = new Map<string, OwnedResources>()
  private writes = new Map<string, number>()
  private clock = 0
  private refreshing: Promise<void> | null = null
  private stale = true

  constructor(
    private readonly api: LoadBalancingApi,
    private readonly cluster: string,
  ) {}

  get isStale(): boolean {
    return this.stale
  }

  /** Something may have changed behind our back: rediscover before the next use. */
  markStale(): void {
    this.stale = true
  }

  /** Full discovery; concurrent callers share one run. */
  refresh(): Promise<void> {
    this.refreshing ??= this.discover().finally(() => (this.refreshing = null))
    return this.refreshing
  }

  async ensureFresh(): Promise<void> {
    if (this.stale) await this.refresh()
  }

  keys(): string[] {
    return [...this.entries.keys()].sort()
  }

  get(key: string): OwnedResources {
    return this.entries.get(key) ?? noResources()
  }

  /** What a reconcile found or left for `key`; survives a discovery that started earlier. */
  set(key: string, resources: OwnedResources): void {
    this.writes.set(key, ++this.clock)
    if (resources.loadBalancers.length === 0 && resources.targetGroups.length === 0) this.entries.delete(key)
    else this.entries.set(key, resources)
  }

  /**
   * Re-reads one Service's resources by ARN after a reconcile changed them: what it had,
   * plus what it created, minus what it deleted. On failure the whole inventory goes stale.
   */
  async reread(key: string, before: OwnedResources, created: { loadBalancers: string[]; targetGroups: string[] }, deleted: Set<string>): Promise<OwnedResources> {
    const keep = (arn: string) => !deleted.has(arn)
    const lbArns = [...before.loadBalancers.map((lb) => lb.arn), ...created.loadBalancers].filter(keep)
    const tgArns = [...before.targetGroups.map((g) => g.arn), ...created.targetGroups].filter(keep)
    try {
      const [balancers, tags, groups] = await Promise.all([
        lbArns.length > 0 ? this.api.describeLoadBalancers(lbArns) : [],
        lbArns.length > 0 ? this.api.describeTags(lbArns) : new Map<string, Tags>(),
        tgArns.length > 0 ? this.api.describeTargetGroups(tgArns) : [],
      ])
      const resources = { loadBalancers: balancers.map((lb) => ({ ...lb, tags: tags.get(lb.arn) ?? {} })), targetGroups: groups }
      this.set(key, resources)
      return resources
    } catch (error) {
      this.markStale()
      throw error
    }
  }

  private async discover(): Promise<void> {
    const started = ++this.clock
    this.stale = false
    try {
      const balancers = (await this.api.listLoadBalancers()).filter((lb) => lb.type === 'network' && lb.name.startsWith(NAME_PREFIX))
      const lbTags = await this.api.describeTags(balancers.map((lb) => lb.arn))
      const found = new Map<string, OwnedResources>()
      const ownerOfBalancer = new Map<string, string>()
      for (const lb of balancers) {
        const tags = lbTags.get(lb.arn) ?? {}
        const key = ownerKey(tags, this.cluster)
        if (!key) continue
        ownerOfBalancer.set(lb.arn, key)
        entry(found, key).loadBalancers.push({ ...lb, tags })
      }
      const groups = (await this.api.listTargetGroups()).filter((g) => g.name.startsWith(NAME_PREFIX))
      const unattached: TargetGroupDescription[] = []
      for (const group of groups) {
        const key = group.loadBalancerArns.map((arn) => ownerOfBalancer.get(arn)).find((k) => k !== undefined)
        if (key) entry(found, key).targetGroups.push(group)
        else unattached.push(group)
      }
      const groupTags = await this.api.describeTags(unattached.map((g) => g.arn))
      for (const group of unattached) {
        const key = ownerKey(groupTags.get(group.arn) ?? {}, this.cluster)
        if (key) entry(found, key).targetGroups.push(group)
      }
      // Keys written by reconciles during this discovery are newer than what it saw.
      for (const [key, at] of this.writes) {
        if (at <= started) continue
        const current = this.entries.get(key)
        if (current) found.set(key, current)
        else found.delete(key)
      }
      this.entries = found
    } catch (error) {
      this.stale = true
      throw error
    }
  }
}

function entry(map: Map<string, OwnedResources>, key: string): OwnedResources {
  let e = map.get(key)
  if (!e) map.set(key, (e = noResources()))
  return e
}
