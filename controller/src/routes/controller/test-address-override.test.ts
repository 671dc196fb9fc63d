import { describe, expect, it } from 'vitest'
import { TEST_ADDRESS_ANNOTATION, withTestAddress } from './test-address-override'

const service = (annotation: string | undefined, ingress: unknown[] | undefined) => ({
  metadata: { name: 'web', namespace: 'shop', ...(annotation ? { annotations: { [TEST_ADDRESS_ANNOTATION]: annotation } } : {}) },
  spec: { ports: [{ port: 80 }] },
  ...(ingress ? { status: { loadBalancer: { ingress } } } : {}),
})

describe('withTestAddress', () => {
  it('replaces the balancer address with a loopback one once the balancer exists', () => {
    const out = withTestAddress(service('127.0.0.1', [{ hostname: 'web-123.elb.us-east-1.amazonaws.com' }]))
    expect(out.status).toEqual({ loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } })
  })

  it('waits for the L4 balancer: no address, no override', () => {
    const input = service('127.0.0.1', undefined)
    expect(withTestAddress(input)).toBe(input)
  })

  it('honours loopback addresses only', () => {
    for (const address of ['10.0.0.1', '169.254.169.254', 'example.com', '::ffff:10.0.0.1']) {
      const input = service(address, [{ hostname: 'lb.example' }])
      expect(withTestAddress(input)).toBe(input)
    }
    expect(withTestAddress(service('::1', [{ ip: '192.0.2.1' }])).status).toEqual({ loadBalancer: { ingress: [{ ip: '::1' }] } })
  })
})
