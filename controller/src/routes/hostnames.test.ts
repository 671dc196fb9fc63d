import { describe, expect, it } from 'vitest'
import { hostnameSpecificity, intersectHostnames, isWithin } from './hostnames'

describe('intersectHostnames (HTTPRouteSpec.hostnames examples)', () => {
  it('a listener test.example.com takes routes with no hostnames, test.example.com or *.example.com', () => {
    expect(intersectHostnames('test.example.com', [])).toEqual(['test.example.com'])
    expect(intersectHostnames('test.example.com', ['test.example.com'])).toEqual(['test.example.com'])
    expect(intersectHostnames('test.example.com', ['*.example.com'])).toEqual(['test.example.com'])
    expect(intersectHostnames('test.example.com', ['other.example.com', 'example.com'])).toEqual([])
  })

  it('a listener *.example.com takes *.example.com, test.example.com and foo.test.example.com but not example.com or test.example.net', () => {
    expect(intersectHostnames('*.example.com', ['*.example.com'])).toEqual(['*.example.com'])
    expect(intersectHostnames('*.example.com', ['test.example.com'])).toEqual(['test.example.com'])
    expect(intersectHostnames('*.example.com', ['foo.test.example.com'])).toEqual(['foo.test.example.com'])
    expect(intersectHostnames('*.example.com', ['example.com', 'test.example.net'])).toEqual([])
  })

  it('ignores the route hostnames that do not match and keeps the others', () => {
    expect(intersectHostnames('*.example.com', ['test.example.com', 'test.example.net'])).toEqual(['test.example.com'])
  })

  it('takes the more specific wildcard of two', () => {
    expect(intersectHostnames('*.example.com', ['*.foo.example.com'])).toEqual(['*.foo.example.com'])
    expect(intersectHostnames('*.foo.example.com', ['*.example.com'])).toEqual(['*.foo.example.com'])
    expect(intersectHostnames('*.foo.example.com', ['*.bar.example.com'])).toEqual([])
  })

  it('uses the route hostnames when the listener has none, and `*` when neither has', () => {
    expect(intersectHostnames(undefined, ['a.example.com', 'a.example.com'])).toEqual(['a.example.com'])
    expect(intersectHostnames(undefined, [])).toEqual(['*'])
  })
})

describe('listener specificity', () => {
  it('orders exact names before wildcards, more labels after the `*` first, and no hostname last', () => {
    const ordered = ['foo.example.com', '*.foo.example.com', '*.example.com', undefined]
    const specificity = ordered.map(hostnameSpecificity)
    expect([...specificity].sort((a, b) => b - a)).toEqual(specificity)
    expect(new Set(specificity).size).toBe(4)
  })

  it('knows which listener hostnames are inside a less specific one', () => {
    expect(isWithin('foo.example.com', '*.example.com')).toBe(true)
    expect(isWithin('*.foo.example.com', '*.example.com')).toBe(true)
    expect(isWithin('*.example.com', undefined)).toBe(true)
    expect(isWithin('*.example.com', '*.example.com')).toBe(false)
    expect(isWithin('example.com', '*.example.com')).toBe(false)
    expect(isWithin(undefined, '*.example.com')).toBe(false)
  })
})
