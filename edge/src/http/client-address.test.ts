import { describe, expect, it } from 'vitest'
import { addressFromProxyHeader } from './client-address'

describe('addressFromProxyHeader', () => {
  it('drops the port of CloudFront-Viewer-Address values', () => {
    expect(addressFromProxyHeader('198.51.100.10:46532')).toBe('198.51.100.10')
    expect(addressFromProxyHeader('2001:db8:3333:4444:5555:6666:7777:8888:46532')).toBe('2001:db8:3333:4444:5555:6666:7777:8888')
    expect(addressFromProxyHeader('[2001:db8::1]:443')).toBe('2001:db8::1')
  })

  it('takes an address without a port as it is, and refuses anything else', () => {
    expect(addressFromProxyHeader('203.0.113.9')).toBe('203.0.113.9')
    expect(addressFromProxyHeader(' 203.0.113.9:1, 10.0.0.1')).toBe('203.0.113.9')
    for (const bad of [undefined, null, '', 'evil.example', '<script>', 'unknown']) expect(addressFromProxyHeader(bad)).toBeNull()
  })
})
