import { describe, expect, it } from 'vitest'
import { parseAnnotations } from './annotations/parse'
import { buildDesired } from './desired'
import { isValidElbName, loadBalancerName, targetGroupName } from './names'
import { defaultNodes, loadCases, testdata, type ServiceCase } from './testdata/fixtures'

describe('buildDesired (golden files in testdata/desired)', () => {
  for (const { name, input } of loadCases<ServiceCase>('desired')) {
    it(name, async () => {
      const { settings, errors } = parseAnnotations(input.service.metadata.annotations)
      expect(errors).toEqual([])
      const result = buildDesired({ cluster: 'prod', service: input.service, settings, nodes: input.nodes ?? defaultNodes })
      if (result.ok) {
        for (const n of [result.desired.name, ...result.desired.targetGroups.map((g) => g.name)]) expect(isValidElbName(n), n).toBe(true)
      }
      await expect(JSON.stringify(result, null, 2) + '\n').toMatchFileSnapshot(testdata('desired', `${name}.golden.json`))
    })
  }
})

describe('names', () => {
  it('keeps long names that share a prefix distinct and valid', () => {
    const long = 'payments-gateway-internal-service-with-a-very-long-name'
    const a = loadBalancerName({ cluster: 'prod', namespace: 'team-payments-production', name: `${long}-a` })
    const b = loadBalancerName({ cluster: 'prod', namespace: 'team-payments-production', name: `${long}-b` })
    expect(a).not.toBe(b)
    expect(a.slice(0, 21)).toBe(b.slice(0, 21))
    for (const n of [a, b]) {
      expect(n.length).toBeLessThanOrEqual(32)
      expect(isValidElbName(n)).toBe(true)
    }
  })

  it('depends on the cluster, so two clusters in one account never share a balancer', () => {
    expect(loadBalancerName({ cluster: 'a', namespace: 'ns', name: 'web' })).not.toBe(loadBalancerName({ cluster: 'b', namespace: 'ns', name: 'web' }))
  })

  it('gives a target group a new name when its protocol or node port changes, and only then', () => {
    const id = { cluster: 'prod', namespace: 'ns', name: 'web' }
    const base = targetGroupName(id, 'http', 'TCP', 30080)
    expect(targetGroupName(id, 'http', 'TCP', 30080)).toBe(base)
    expect(targetGroupName(id, 'http', 'UDP', 30080)).not.toBe(base)
    expect(targetGroupName(id, 'http', 'TCP', 30081)).not.toBe(base)
  })

  it('never produces a leading, trailing or double hyphen from odd names', () => {
    for (const name of ['-x-', 'a--b', '---', 'Ü', 'a.b.c']) {
      expect(isValidElbName(loadBalancerName({ cluster: 'c', namespace: '-', name }))).toBe(true)
      expect(isValidElbName(targetGroupName({ cluster: 'c', namespace: '-', name }, name, 'TCP', 1))).toBe(true)
    }
  })
})
