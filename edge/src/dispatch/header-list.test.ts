// HeaderList must answer exactly as web Headers do for every operation routing and the plan
// use: random sequences of operations on both, compared after each step.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { HeaderList, copyHeaders } from './header-list'

const name = fc.constantFrom('Host', 'host', 'X-Forwarded-For', 'x-forwarded-for', 'Set-Cookie', 'set-cookie', 'Connection', 'accept', 'X-Request-Id', 'te')
const value = fc.constantFrom('a', 'b, c', ' padded ', '\tx\t', 'keep-alive, x-hop', '', 'v=1; Path=/')
const operation = fc.oneof(
  fc.record({ op: fc.constant('append' as const), name, value }),
  fc.record({ op: fc.constant('set' as const), name, value }),
  fc.record({ op: fc.constant('delete' as const), name, value }),
)

/** What a reader can observe, with iteration order set aside (web Headers sort, HeaderList keeps insertion order). */
function observe(h: Headers | HeaderList) {
  const names = ['host', 'x-forwarded-for', 'set-cookie', 'connection', 'accept', 'x-request-id', 'te', 'absent']
  const entries: string[] = []
  h.forEach((v, n) => entries.push(`${n}: ${v}`))
  return {
    get: names.map((n) => h.get(n)),
    has: names.map((n) => h.has(n.toUpperCase())),
    setCookie: h.getSetCookie(),
    entries: [...h].map(([n, v]) => `${n}: ${v}`).sort(),
    forEach: entries.sort(),
    keys: [...h.keys()].sort(),
  }
}

describe('HeaderList behaves as web Headers', () => {
  it('after any sequence of append, set and delete', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 6 }), fc.array(operation, { maxLength: 12 }), (initial, ops) => {
        const web = new Headers()
        const raw: string[] = []
        for (const [n, v] of initial) {
          web.append(n, v)
          raw.push(n, v)
        }
        const list = HeaderList.fromRaw(raw)
        expect(observe(list)).toEqual(observe(web))
        for (const { op, name: n, value: v } of ops) {
          if (op === 'delete') {
            web.delete(n)
            list.delete(n)
          } else {
            web[op](n, v)
            list[op](n, v)
          }
          expect(observe(list)).toEqual(observe(web))
        }
      }),
    )
  })

  it('copies into its own kind, independent of the original; other Headers copy as web Headers', () => {
    const list = HeaderList.fromRaw(['Host', 'a.test', 'Accept', '*/*'])
    const copy = copyHeaders(list.asHeaders())
    expect(copy).toBeInstanceOf(HeaderList)
    copy.set('host', 'b.test')
    expect(list.get('host')).toBe('a.test')
    expect(copyHeaders(new Headers({ a: '1' }))).toBeInstanceOf(Headers)
    // A web Headers built from a HeaderList sees the same entries.
    expect([...new Headers(list.asHeaders())]).toEqual([...new Headers({ accept: '*/*', host: 'a.test' })])
  })
})
