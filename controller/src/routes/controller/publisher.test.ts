import { describe, expect, it } from 'vitest'
import { withRevision } from '../../../../edge/src/route-table/revision'
import type { RouteTable } from '../../../../edge/src/route-table/types'
import { silentLogger } from '../../observability/logger'
import type { RouteTableStore } from '../../ports/route-table-store'
import { Publisher } from './publisher'

const table = (host: string): Promise<RouteTable> => withRevision({ schemaVersion: 1, gateways: {}, hosts: host ? [{ hostname: host, routes: [] }] : [], fallback: null })

function memoryStore(name: string, fail = () => false) {
  const bodies: string[] = []
  const store: RouteTableStore & { bodies: string[] } = {
    name,
    bodies,
    async publish(_table, body) {
      if (fail()) throw new Error(`${name} is down`)
      bodies.push(body)
    },
  }
  return store
}

describe('Publisher', () => {
  it('publishes a revision once per store, and again only when the revision changes', async () => {
    const results: [string, boolean][] = []
    const publisher = new Publisher(silentLogger(), { published: (store, ok) => results.push([store, ok]) })
    const a = memoryStore('a')
    const one = await table('a.example')
    expect(await publisher.publish(one, [a])).toEqual([])
    expect(await publisher.publish(one, [a])).toEqual([])
    expect(a.bodies).toHaveLength(1)
    expect(JSON.parse(a.bodies[0]!)).toEqual(one)
    await publisher.publish(await table('b.example'), [a])
    expect(a.bodies).toHaveLength(2)
    expect(results).toEqual([['a', true], ['a', true]])
  })

  it('retries a failed store with the next publish without holding the others back', async () => {
    let down = true
    const publisher = new Publisher(silentLogger(), { published: () => {} })
    const good = memoryStore('good')
    const flaky = memoryStore('flaky', () => down)
    const one = await table('a.example')
    expect(await publisher.publish(one, [good, flaky])).toEqual([flaky])
    expect(good.bodies).toHaveLength(1)
    down = false
    expect(await publisher.publish(one, [good, flaky])).toEqual([])
    expect(good.bodies).toHaveLength(1)
    expect(flaky.bodies).toHaveLength(1)
  })

  it('publishes the current revision to a store that joins later (the leader-only stores)', async () => {
    const publisher = new Publisher(silentLogger(), { published: () => {} })
    const replica = memoryStore('http')
    const leader = memoryStore('s3')
    const one = await table('a.example')
    await publisher.publish(one, [replica])
    await publisher.publish(one, [replica, leader])
    expect([replica.bodies.length, leader.bodies.length]).toEqual([1, 1])
  })
})
