// Subnet ids for a balancer: the annotation's (ids or Name tags, all of which must exist,
// one per zone) or, when none is given, the subnets tagged for this cluster's load
// balancers (one per zone). EC2 answers are cached: subnets rarely change and new
// balancers are the only ones that need them.
import type { SubnetApi, SubnetDescription } from '../ports/ec2'
import type { Scheme } from '../ports/elbv2'

export class SubnetError extends Error {
  override readonly name = 'SubnetError'
}

export class SubnetResolver {
  private readonly cache = new Map<string, { at: number; subnets: SubnetDescription[] }>()

  constructor(
    private readonly api: SubnetApi,
    private readonly cluster: string,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  async resolve(annotated: string[] | null, scheme: Scheme): Promise<string[]> {
    if (annotated) {
      const found = await this.cached(`names:${[...annotated].sort().join(',')}`, () => this.api.findSubnets(annotated))
      const missing = annotated.filter((s) => !found.some((f) => f.id === s || f.tags.Name === s))
      if (missing.length > 0) throw new SubnetError(`subnets not found: ${missing.join(', ')}`)
      const chosen = annotated.map((s) => found.find((f) => f.id === s) ?? found.find((f) => f.tags.Name === s)!)
      const zones = chosen.map((s) => s.availabilityZone)
      if (new Set(zones).size !== zones.length) throw new SubnetError(`subnets must be in different availability zones (${chosen.map((s) => `${s.id}: ${s.availabilityZone}`).join(', ')})`)
      return chosen.map((s) => s.id)
    }
    const internal = scheme === 'internal'
    const discovered = await this.cached(`discover:${internal}`, () => this.api.discoverSubnets(this.cluster, internal))
    const perZone = new Map<string, string>()
    for (const s of [...discovered].sort((a, b) => a.id.localeCompare(b.id))) if (!perZone.has(s.availabilityZone)) perZone.set(s.availabilityZone, s.id)
    if (perZone.size === 0)
      throw new SubnetError(
        `no subnets tagged ${internal ? 'kubernetes.io/role/internal-elb' : 'kubernetes.io/role/elb'} and kubernetes.io/cluster/${this.cluster}; tag them or set the subnets annotation`,
      )
    return [...perZone.values()].sort()
  }

  private async cached(key: string, load: () => Promise<SubnetDescription[]>): Promise<SubnetDescription[]> {
    const hit = this.cache.get(key)
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.subnets
    const subnets = await load()
    this.cache.set(key, { at: Date.now(), subnets })
    return subnets
  }
}
