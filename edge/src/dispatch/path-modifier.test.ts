import { describe, expect, it } from 'vitest'
import { modifyPath } from './path-modifier'

describe('modifyPath', () => {
  // The table in the Gateway API `replacePrefixMatch` field documentation, row by row.
  it.each([
    ['/foo/bar', '/foo', '/xyz', '/xyz/bar'],
    ['/foo/bar', '/foo', '/xyz/', '/xyz/bar'],
    ['/foo/bar', '/foo/', '/xyz', '/xyz/bar'],
    ['/foo/bar', '/foo/', '/xyz/', '/xyz/bar'],
    ['/foo', '/foo', '/xyz', '/xyz'],
    ['/foo/', '/foo', '/xyz', '/xyz/'],
    ['/foo/bar', '/foo', '', '/bar'],
    ['/foo/', '/foo', '', '/'],
    ['/foo', '/foo', '', '/'],
    ['/foo/', '/foo', '/', '/'],
    ['/foo', '/foo', '/', '/'],
  ])('ReplacePrefixMatch %s with prefix %s and replacement %j gives %s', (path, prefix, value, expected) => {
    expect(modifyPath(path, { type: 'ReplacePrefixMatch', value }, prefix)).toBe(expected)
  })

  it('conformance HTTPRouteRewritePath: /prefix/one/two with prefix /prefix/one and replacement /one', () => {
    expect(modifyPath('/prefix/one/two', { type: 'ReplacePrefixMatch', value: '/one' }, '/prefix/one')).toBe('/one/two')
  })

  it('a root prefix keeps the whole path under the replacement', () => {
    expect(modifyPath('/a/b', { type: 'ReplacePrefixMatch', value: '/v2' }, '/')).toBe('/v2/a/b')
  })

  it('ReplaceFullPath replaces the whole path', () => {
    expect(modifyPath('/full/one/two', { type: 'ReplaceFullPath', value: '/one' }, '/full')).toBe('/one')
  })
})
