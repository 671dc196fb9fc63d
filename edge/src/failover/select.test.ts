import { describe, expect, it } from 'vitest'
import type { Backend } from '../route-table/types'
import { failoverOrder, pickAvailable } from './select'

const backend = (name: string, gateway: string | null, weight = 1): Backend => ({ gateway, weight, service: { namespace: 'ns', name, port: 80 }, filters: [] })
const only = (...ejected: string[]) => (gateway: string) => !ejected.includes(gateway)

describe('pickAvailable', () => {
  const a = backend('web', 'gw-a')
  const b = backend('web', 'gw-b')

  it('is the plain weighted pick while no gateway is ejected', () => {
    expect(pickAvailable([a, b], () => 0.1, only())).toBe(a)
    expect(pickAvailable([a, b], () => 0.9, only())).toBe(b)
    expect(pickAvailable([a, b], () => 0.9)).toBe(b)
  })

  it('skips backends on ejected gateways, whatever the draw', () => {
    for (const draw of [0, 0.3, 0.6, 0.99]) expect(pickAvailable([a, b], () => draw, only('gw-a'))).toBe(b)
  })

  it('picks among all when every gateway is ejected', () => {
    expect(pickAvailable([a, b], () => 0.1, only('gw-a', 'gw-b'))).toBe(a)
    expect(pickAvailable([a, b], () => 0.9, only('gw-a', 'gw-b'))).toBe(b)
  })

  it('keeps the share of an unresolved backend (it answers 500) but never lets it take the ejected share alone', () => {
    const unresolved = backend('gone', null)
    expect(pickAvailable([a, unresolved, b], () => 0.1, only('gw-a'))).toBe(unresolved)
    expect(pickAvailable([a, unresolved, b], () => 0.9, only('gw-a'))).toBe(b)
    // Only an unresolved backend left besides the ejected one: the ejected gateway still gets its share.
    expect(pickAvailable([a, unresolved], () => 0.1, only('gw-a'))).toBe(a)
  })

  it('never picks weight 0', () => {
    expect(pickAvailable([backend('x', 'gw-a', 0), b], () => 0, only('gw-b'))).toBe(b)
  })
})

describe('failoverOrder', () => {
  it('lines up the same Service in other clusters first, then other backends by weight, one per gateway', () => {
    const chosen = backend('web', 'gw-a', 5)
    const order = failoverOrder(
      [chosen, backend('web', 'gw-a', 5), backend('canary', 'gw-c', 7), backend('web', 'gw-b', 1), backend('api', 'gw-d', 9), backend('api', 'gw-d', 1), backend('x', null, 9), backend('zero', 'gw-z', 0)],
      chosen,
    )
    expect(order.map((b) => `${b.service.name}@${b.gateway}`)).toEqual(['web@gw-b', 'api@gw-d', 'canary@gw-c'])
  })

  it('leaves out ejected gateways and is empty for a single backend', () => {
    const chosen = backend('web', 'gw-a')
    expect(failoverOrder([chosen, backend('web', 'gw-b'), backend('web', 'gw-c')], chosen, only('gw-b')).map((b) => b.gateway)).toEqual(['gw-c'])
    expect(failoverOrder([chosen], chosen)).toEqual([])
  })
})
