import { describe, expect, it } from 'vitest'
import { checkBearer } from '../http/bearer-token'
import { parseTokens } from './token-file'

describe('parseTokens', () => {
  it('takes one token per line, skipping blank lines and comments', () => {
    expect(parseTokens('# rotated 2026-12-01\nabcdefghijklmnop1234\r\n\n  QRSTUVWXYZ-._~+/0123==  \n', 'f')).toEqual(['abcdefghijklmnop1234', 'QRSTUVWXYZ-._~+/0123=='])
  })

  it('names the line of a bad token without repeating it, and refuses an empty file', () => {
    expect(() => parseTokens('abcdefghijklmnop1234\nchangeme\n', '--route-table-token-file /t')).toThrow('--route-table-token-file /t: line 2 is not a bearer token (at least 16 of A-Z a-z 0-9 - . _ ~ + /)')
    expect(() => parseTokens('has spaces in it, longer than 16\n', 'f')).toThrow(/line 1/)
    expect(() => parseTokens('\n# nothing\n', 'f')).toThrow('f: no token in the file')
  })
})

describe('checkBearer', () => {
  const accepted = ['abcdefghijklmnop1234', 'QRSTUVWXYZ0123456789']
  it('accepts any accepted token, case-insensitive scheme', () => {
    expect(checkBearer('Bearer abcdefghijklmnop1234', accepted)).toBe('ok')
    expect(checkBearer('bearer QRSTUVWXYZ0123456789', accepted)).toBe('ok')
  })
  it('tells a missing token from a wrong one', () => {
    expect(checkBearer(undefined, accepted)).toBe('missing')
    expect(checkBearer('Basic dXNlcjpwYXNz', accepted)).toBe('missing')
    expect(checkBearer('Bearer abcdefghijklmnop123', accepted)).toBe('invalid')
    expect(checkBearer('Bearer abcdefghijklmnop12345', accepted)).toBe('invalid')
  })
})
