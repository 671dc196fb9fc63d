import { describe, expect, it } from 'vitest'
import { clusterTableKey, pointerFor, readPointer, revisionKey } from './store-layout'

describe('route-table store layout', () => {
  it('keeps every key of a cluster under route-tables/<cluster>/', () => {
    expect(clusterTableKey('prod')).toBe('route-tables/prod/route-table.json')
    expect(revisionKey('prod', 'ab12')).toBe('route-tables/prod/revisions/ab12.json')
    expect(pointerFor('prod', 'ab12', new Date(0)).key).toBe(revisionKey('prod', 'ab12'))
  })

  it('follows a pointer the controller writes', () => {
    const pointer = pointerFor('prod', 'ab12cd34', new Date(0))
    expect(readPointer(JSON.stringify(pointer), clusterTableKey('prod'))).toEqual({ kind: 'pointer', pointer })
  })

  it('treats anything else as a table (the table parser judges it)', () => {
    expect(readPointer('{"schemaVersion":1}', 'k')).toEqual({ kind: 'table' })
    expect(readPointer('not json', 'k')).toEqual({ kind: 'table' })
  })

  it('refuses a pointer that sends the reader outside its own directory or has no proper revision', () => {
    const key = clusterTableKey('prod')
    const bad = (changes: object) => readPointer(JSON.stringify({ ...pointerFor('prod', 'ab12cd34', new Date(0)), ...changes }), key)
    expect(bad({ key: 'route-tables/other/revisions/ab12cd34.json' })).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/not under "route-tables\/prod\/"/) })
    expect(bad({ key: 'route-tables/prod/../other/x.json' })).toMatchObject({ kind: 'invalid' })
    expect(bad({ revision: '../x' })).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/revision/) })
    expect(bad({ key: 42 })).toMatchObject({ kind: 'invalid' })
  })
})
