import { describe, expect, it } from 'vitest'
import { parseAnnotations } from './annotations/parse'
import { buildDesired } from './desired'
import { describeAction } from './describe-actions'
import type { DesiredLoadBalancer, ObservedState } from './model'
import { plan, planDeletion } from './plan'
import { defaultNodes, loadCases, materialize, testdata, type ServiceCase } from './testdata/fixtures'

interface PlanCase {
  before?: ServiceCase
  after?: ServiceCase
  subnetIds?: string[]
  /** The config hash differs, so the reconciler read attributes, tags and certificates back. */
  readConfig?: boolean
  /** A second balancer tagged for the same Service exists. */
  duplicate?: boolean
  delete?: boolean
}

function desiredOf(c: ServiceCase): DesiredLoadBalancer {
  const { settings, errors } = parseAnnotations(c.service.metadata.annotations)
  expect(errors).toEqual([])
  const result = buildDesired({ cluster: 'prod', service: c.service, settings, nodes: c.nodes ?? defaultNodes })
  if (!result.ok) throw new Error(result.problems.join('; '))
  return result.desired
}

function observedOf(c: PlanCase): ObservedState {
  if (!c.before) return { loadBalancers: [], listeners: [], targetGroups: [], config: null }
  const before = desiredOf(c.before)
  const observed = materialize(before)
  if (c.readConfig) {
    const byName = new Map(before.targetGroups.map((g) => [g.name, g]))
    observed.config = {
      loadBalancerAttributes: before.attributes,
      targetGroupAttributes: Object.fromEntries(observed.targetGroups.map((g) => [g.arn, byName.get(g.name)!.attributes])),
      targetGroupTags: Object.fromEntries(observed.targetGroups.map((g) => [g.arn, byName.get(g.name)!.tags])),
    }
    observed.listeners = observed.listeners.map((l) => ({ ...l, extraCertificateArns: before.listeners.find((d) => d.port === l.port)!.extraCertificateArns }))
  }
  if (c.duplicate) observed.loadBalancers.push({ ...observed.loadBalancers[0]!, arn: observed.loadBalancers[0]!.arn + '-dup', name: 'ei-shop-web-0123456789' })
  return observed
}

describe('plan (golden files in testdata/plan)', () => {
  for (const { name, input } of loadCases<PlanCase>('plan')) {
    it(name, async () => {
      const observed = observedOf(input)
      const result = input.delete
        ? { actions: planDeletion(observed), refused: [], keptTargets: false }
        : plan({ desired: desiredOf(input.after!), observed, subnetIds: input.subnetIds ?? null })
      const golden = { steps: result.actions.map(describeAction), refused: result.refused, keptTargets: result.keptTargets, actions: result.actions }
      await expect(JSON.stringify(golden, null, 2) + '\n').toMatchFileSnapshot(testdata('plan', `${name}.golden.json`))
    })
  }
})

describe('plan invariants', () => {
  const service = (ports: string) =>
    ({ service: { metadata: { name: 'web', namespace: 'shop' }, spec: { type: 'LoadBalancer', ports: JSON.parse(ports) } } }) as ServiceCase

  it('never points a listener at a target group before the group is created and filled', () => {
    const before = service('[{"name":"http","protocol":"TCP","port":80,"nodePort":30080}]')
    const after = service('[{"name":"http","protocol":"TCP","port":80,"nodePort":30099},{"name":"x","protocol":"UDP","port":81,"nodePort":30081}]')
    const { actions } = plan({ desired: desiredOf(after), observed: observedOf({ before }), subnetIds: null })
    const created = new Set<string>()
    for (const a of actions) {
      if (a.type === 'createTargetGroup') {
        expect(a.instanceIds.length).toBeGreaterThan(0)
        created.add(a.name)
      }
      if ((a.type === 'createListener' || a.type === 'modifyListener') && 'pending' in a.targetGroup) expect(created.has(a.targetGroup.pending)).toBe(true)
    }
    const lastListener = actions.findLastIndex((a) => a.type === 'createListener' || a.type === 'modifyListener')
    const firstDelete = actions.findIndex((a) => a.type === 'deleteTargetGroup')
    expect(firstDelete).toBeGreaterThan(lastListener)
  })

  it('treats draining targets as gone: not deregistered again, registered again when wanted', () => {
    const svc = service('[{"name":"http","protocol":"TCP","port":80,"nodePort":30080}]')
    const observed = observedOf({ before: svc })
    const group = observed.targetGroups[0]!
    // node-a was deregistered earlier and is draining but Ready again; a drained-away node-x is still listed as draining.
    group.targets = [
      { id: 'i-0000000000000000a', port: 30080, state: 'draining' },
      { id: 'i-0000000000000000b', port: 30080, state: 'healthy' },
      { id: 'i-00000000000000099', port: 30080, state: 'draining' },
    ]
    const { actions } = plan({ desired: desiredOf(svc), observed, subnetIds: null })
    expect(actions.map(describeAction)).toEqual([`register i-0000000000000000a in ${group.name}`])
  })

  it('leaves Elastic IPs alone once ELBv2 reports them on the balancer, and refuses to add them to one made without', () => {
    const ports = '[{"protocol":"TCP","port":80,"nodePort":30080}]'
    const withIps = service(ports)
    withIps.service.metadata.annotations = { 'service.beta.kubernetes.io/aws-load-balancer-eip-allocations': 'eipalloc-0123456789abcdef0,eipalloc-0123456789abcdef1' }
    expect(plan({ desired: desiredOf(withIps), observed: observedOf({ before: withIps }), subnetIds: null })).toMatchObject({ refused: [] })
    const { refused } = plan({ desired: desiredOf(withIps), observed: observedOf({ before: service(ports) }), subnetIds: null })
    expect(refused).toEqual(['Elastic IPs cannot be changed on the existing load balancer (it has none)'])
  })

  it('refuses to create a balancer without subnets', () => {
    expect(() => plan({ desired: desiredOf(service('[{"protocol":"TCP","port":80,"nodePort":30080}]')), observed: observedOf({}), subnetIds: null })).toThrow(/subnet/)
  })
})
