import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { action, route, table } from '../../../test/spec-cases/builder'
import { jsonPath, parseRouteTable } from './parse'
import type { RouteTable } from './types'

const valid = (): RouteTable =>
  table(
    {
      'foo.example.com': [route({ object: 'shop/web', prefix: '/cart', backend: 'shop/cart:8080' })],
      '*.example.com': [route({ object: 'shop/wild', exact: '/x', method: 'GET', headers: { version: 'two' }, query: { q: 'a' } })],
    },
    { fallback: 'default/fallback:80' },
  )

/** Parses a copy of the valid table after `change` edited it; returns the error. */
function errorAfter(change: (t: any) => void) {
  const t = structuredClone(valid()) as any
  change(t)
  const result = parseRouteTable(t)
  if (result.ok) throw new Error('expected the table to be refused')
  return result.error
}

describe('parseRouteTable accepts', () => {
  it('a valid table, as a value and as JSON text, with the same content', () => {
    const fromValue = parseRouteTable(valid())
    const fromText = parseRouteTable(JSON.stringify(valid()))
    expect(fromValue).toEqual({ ok: true, table: valid() })
    expect(fromText).toEqual(fromValue)
  })

  it('a table with unknown keys (a newer controller, same schemaVersion), ignoring them', () => {
    const t = { ...valid(), addedLater: { x: 1 } }
    const result = parseRouteTable(t)
    expect(result.ok).toBe(true)
  })

  it('an empty table', () => {
    expect(parseRouteTable({ schemaVersion: 1, revision: 'r', gateways: {}, hosts: [], fallback: null }).ok).toBe(true)
  })
})

describe('parseRouteTable refuses, with the JSON path of the first problem', () => {
  it('text that is not JSON', () => {
    const result = parseRouteTable('{"schemaVersion": 1,')
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error).toMatchObject({ path: '$', message: expect.stringContaining('not valid JSON') })
  })

  it('a newer schemaVersion, saying which one this edge reads', () => {
    expect(errorAfter((t) => (t.schemaVersion = 2))).toEqual({ path: '$.schemaVersion', message: 'unsupported schemaVersion 2, this edge reads 1' })
  })

  it.each([
    ['a missing field', (t: any) => delete t.hosts[1].routes[0].match.method, '$.hosts[1].routes[0].match.method'],
    ['a wrong type', (t: any) => (t.hosts[0].routes[0].source.rule = '0'), '$.hosts[0].routes[0].source.rule'],
    ['port 0', (t: any) => (t.gateways['gw-shop-cart-8080'].port = 0), '$.gateways["gw-shop-cart-8080"].port'],
    ['a gateway without a protocol', (t: any) => delete t.gateways['gw-shop-cart-8080'].protocol, '$.gateways["gw-shop-cart-8080"].protocol'],
    ['a host that is not an object', (t: any) => (t.hosts[1] = 'shop.example.com'), '$.hosts[1]'],
    ['routes that are not a list', (t: any) => (t.hosts[0].routes = {}), '$.hosts[0].routes'],
    ['a numeric hostname', (t: any) => (t.hosts[0].hostname = 7), '$.hosts[0].hostname'],
    ['port 65536', (t: any) => (t.hosts[0].routes[0].listenerPorts = [65536]), '$.hosts[0].routes[0].listenerPorts[0]'],
    ['a fractional weight', (t: any) => (t.hosts[0].routes[0].action.backends[0].weight = 0.5), '$.hosts[0].routes[0].action.backends[0].weight'],
    ['a weight above 1,000,000', (t: any) => (t.fallback.backends[0].weight = 1_000_001), '$.fallback.backends[0].weight'],
    ['an unknown filter type', (t: any) => t.fallback.filters.push({ type: 'Teleport' }), '$.fallback.filters[0].type'],
  ])('%s', (_name, change, path) => {
    expect(errorAfter(change).path).toBe(path)
  })

  it.each([
    ['an unknown gateway', (t: any) => (t.hosts[0].routes[0].action.backends[0].gateway = 'nope'), '$.hosts[0].routes[0].action.backends[0].gateway', 'unknown gateway "nope"'],
    ['a gateway id that differs from its key', (t: any) => (t.gateways['gw-shop-cart-8080'].id = 'other'), '$.gateways["gw-shop-cart-8080"].id', 'differs from its key'],
    ['a gateway address with a path', (t: any) => (t.gateways['gw-shop-cart-8080'].address = 'evil.com/x'), '$.gateways["gw-shop-cart-8080"].address', 'invalid address'],
    ['a duplicate route id', (t: any) => (t.hosts[1].routes[0].id = t.hosts[0].routes[0].id), '$.hosts[1].routes[0].id', 'is not unique'],
    ['a duplicate hostname', (t: any) => (t.hosts[1].hostname = 'foo.example.com'), '$.hosts[1].hostname', 'appears twice'],
    ['an uppercase hostname', (t: any) => (t.hosts[0].hostname = 'Foo.example.com'), '$.hosts[0].hostname', 'invalid hostname'],
    ['a wildcard in the middle', (t: any) => (t.hosts[0].hostname = 'foo.*.com'), '$.hosts[0].hostname', 'invalid hostname'],
    ['a path without a leading slash', (t: any) => (t.hosts[0].routes[0].match.path.value = 'cart'), '$.hosts[0].routes[0].match.path.value', 'must start with "/"'],
    ['a path with a query', (t: any) => (t.hosts[0].routes[0].match.path.value = '/cart?x=1'), '$.hosts[0].routes[0].match.path.value', '"?" in path'],
    ['a path with a fragment', (t: any) => (t.hosts[0].routes[0].match.path.value = '/cart#x'), '$.hosts[0].routes[0].match.path.value', '"#" in path'],
    ['a path with a malformed escape', (t: any) => (t.hosts[0].routes[0].match.path.value = '/a%zz'), '$.hosts[0].routes[0].match.path.value', 'malformed percent-escape'],
    ['a lowercase method', (t: any) => (t.hosts[1].routes[0].match.method = 'get'), '$.hosts[1].routes[0].match.method', 'uppercase token'],
    ['a header name with a space', (t: any) => (t.hosts[1].routes[0].match.headers[0].name = 'x y'), '$.hosts[1].routes[0].match.headers[0].name', 'invalid header name'],
    ['a header matched twice', (t: any) => t.hosts[1].routes[0].match.headers.push({ name: 'version', type: 'Exact', value: 'x' }), '$.hosts[1].routes[0].match.headers[1].name', 'matched twice'],
    ['a regex that does not compile', (t: any) => (t.hosts[1].routes[0].match.query[0] = { name: 'q', type: 'RegularExpression', value: '(a' }), '$.hosts[1].routes[0].match.query[0].value', 'invalid regular expression'],
    ['a regex escaping its anchors', (t: any) => (t.hosts[1].routes[0].match.headers[0] = { name: 'v', type: 'RegularExpression', value: 'a)|(b' }), '$.hosts[1].routes[0].match.headers[0].value', 'invalid regular expression'],
    ['an overlong regex', (t: any) => (t.hosts[1].routes[0].match.headers[0] = { name: 'v', type: 'RegularExpression', value: 'a'.repeat(1025) }), '$.hosts[1].routes[0].match.headers[0].value', 'longer than 1024'],
    ['a bad timestamp', (t: any) => (t.hosts[0].routes[0].source.createdAt = 'yesterday'), '$.hosts[0].routes[0].source.createdAt', 'RFC 3339'],
    ['a listener port twice', (t: any) => (t.hosts[0].routes[0].listenerPorts = [80, 80]), '$.hosts[0].routes[0].listenerPorts[1]', 'port 80 appears twice'],
    ['backendMs above requestMs', (t: any) => (t.fallback.timeouts = { requestMs: 100, backendMs: 200 }), '$.fallback.timeouts.backendMs', 'must not be longer'],
  ])('%s', (_name, change, path, message) => {
    const error = errorAfter(change)
    expect(error.path).toBe(path)
    expect(error.message).toContain(message)
  })
})

describe('parseRouteTable checks filter combinations', () => {
  const redirect = { type: 'RequestRedirect', scheme: 'https', hostname: null, port: null, path: null, statusCode: 301 }
  const rewrite = { type: 'URLRewrite', hostname: null, path: { type: 'ReplacePrefixMatch', value: '/new' } }
  const headers = { type: 'RequestHeaderModifier', set: [], add: [{ name: 'x-a', value: '1' }], remove: [] }

  it.each([
    ['a repeated single-use filter', [headers, headers], [], '$.hosts[0].routes[0].action.filters[1].type', 'must not be repeated'],
    ['redirect with rewrite', [{ ...redirect }, rewrite], [], '$.hosts[0].routes[0].action.filters', 'must not be combined'],
    ['redirect with backends', [redirect], ['shop/cart:8080'], '$.hosts[0].routes[0].action.backends', 'together with backends'],
    ['a header modifier with a bad name', [{ ...headers, add: [{ name: 'a b', value: '1' }] }], [], '$.hosts[0].routes[0].action.filters[0].add[0].name', 'invalid header name'],
    ['a header value with CRLF', [{ ...headers, add: [{ name: 'x-a', value: '1\r\nx: y' }] }], [], '$.hosts[0].routes[0].action.filters[0].add[0].value', 'control character'],
    ['a redirect to a bad hostname', [{ ...redirect, hostname: 'a b' }], [], '$.hosts[0].routes[0].action.filters[0].hostname', 'invalid hostname'],
  ])('%s', (_name, filters, backends, path, message) => {
    const error = errorAfter((t) => (t.hosts[0].routes[0].action = { ...action(backends as string[], filters as any), backends: action(backends as string[]).backends }))
    expect(error.path).toBe(path)
    expect(error.message).toContain(message)
  })

  it('ReplacePrefixMatch on an Exact match', () => {
    const error = errorAfter((t) => {
      t.hosts[1].routes[0].action.filters = [rewrite]
    })
    expect(error).toEqual({ path: '$.hosts[1].routes[0].action.filters[0].path.type', message: 'ReplacePrefixMatch needs a PathPrefix path match' })
  })

  it('accepts ReplacePrefixMatch on a PathPrefix match, and a redirect without backends', () => {
    const t = valid()
    t.hosts[0]!.routes[0]!.action.filters = [rewrite as any]
    t.hosts[1]!.routes[0]!.action = action([], [redirect as any])
    expect(parseRouteTable(t).ok).toBe(true)
  })
})

describe('parseRouteTable checks every field', () => {
  // The shape is written by hand (ADR 0100, 0104): a field it forgot would let anything through.
  const valueAt = (path: (string | number)[]) => path.reduce<any>((node, key) => node[key], valid())
  const notObjects = leafPaths(valid()).filter((path) => valueAt(path) === null || typeof valueAt(path) !== 'object' || Array.isArray(valueAt(path)))
  it.each(notObjects.map((path) => [jsonPath(path), path] as const))('%s must not be an object', (at, path) => {
    const error = errorAfter((t) => {
      let node = t
      for (const key of path.slice(0, -1)) node = node[key]
      node[path.at(-1)!] = { unexpected: true }
    })
    // Refused there, or inside it for a field that may be an object (retry: null or a policy).
    const there = error.path === at || error.path.startsWith(`${at}.`) || error.path.startsWith(`${at}[`)
    expect(there, error.path).toBe(true)
  })
})

describe('parseRouteTable never throws', () => {
  const noThrow = (input: unknown) => {
    const result = parseRouteTable(input)
    expect(typeof result.ok).toBe('boolean')
    if (!result.ok) expect(result.error.path.startsWith('$')).toBe(true)
  }

  it('on random JSON values', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => noThrow(value)), { numRuns: 500 })
  })

  it('on random text', () => {
    fc.assert(fc.property(fc.string(), (value) => noThrow(value)), { numRuns: 500 })
  })

  it('on every truncation of a valid table', () => {
    const text = JSON.stringify(valid())
    for (let cut = 0; cut < text.length; cut++) {
      const result = parseRouteTable(text.slice(0, cut))
      expect(result.ok).toBe(false)
    }
  })

  it('on a valid table with one value replaced by random JSON', () => {
    const paths = leafPaths(valid())
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (path, value) => {
        const t = structuredClone(valid()) as any
        let node = t
        for (const key of path.slice(0, -1)) node = node[key]
        node[path.at(-1)!] = value
        noThrow(t)
      }),
      { numRuns: 1000 },
    )
  })

  it('on deep nesting and odd values', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000)
    noThrow(deep)
    let nested: any = {}
    for (let i = 0; i < 10_000; i++) nested = { hosts: [nested] }
    noThrow({ ...valid(), hosts: [nested] })
    for (const odd of [undefined, null, 0, NaN, Symbol('x'), () => 1, new Map(), [valid()], Object.create(null)]) noThrow(odd)
    const hostile = new Proxy({}, { get: () => { throw new Error('boom') }, ownKeys: () => { throw new Error('boom') } })
    noThrow(hostile)
  })
})

function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix]
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value)
  return [prefix, ...entries.flatMap(([k, v]) => leafPaths(v, [...prefix, k]))].filter((p) => p.length > 0)
}
