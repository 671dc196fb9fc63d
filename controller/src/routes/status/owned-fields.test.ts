import { describe, expect, it } from 'vitest'
import { ownedEntries, ownedStatus, ownsField, STATUS_FIELD_MANAGER } from './owned-fields'

const entry = (manager: string, status: object, subresource = 'status') => ({ manager, operation: 'Update', subresource, fieldsType: 'FieldsV1', fieldsV1: { 'f:status': status } })

describe('owned status fields', () => {
  it('reads only our manager through the status subresource', () => {
    const fields = [entry('someone', { 'f:addresses': {} }), entry(STATUS_FIELD_MANAGER, { 'f:loadBalancer': { 'f:ingress': {} } }), entry(STATUS_FIELD_MANAGER, { 'f:listeners': {} }, '')]
    const tree = ownedStatus(fields)
    expect(ownsField(tree, ['loadBalancer', 'ingress'])).toBe(true)
    expect(ownsField(tree, ['addresses'])).toBe(false)
    expect(ownsField(tree, ['listeners'])).toBe(false)
    expect(ownedStatus(undefined)).toBeNull()
  })

  it('owns every entry of an atomic list, and the entries of a map list in which it owns more than the key', () => {
    const tree = ownedStatus([
      entry(STATUS_FIELD_MANAGER, {
        'f:listeners': {},
        'f:conditions': { 'k:{"type":"Accepted"}': { '.': {}, 'f:type': {}, 'f:status': {} }, 'k:{"type":"Theirs"}': { '.': {}, 'f:type': {} } },
      }),
    ])
    expect(ownedEntries(tree, 'listeners', 'name')({ name: 'http' })).toBe(true)
    const condition = ownedEntries(tree, 'conditions', 'type')
    expect([condition({ type: 'Accepted' }), condition({ type: 'Theirs' }), condition({ type: 'Other' })]).toEqual([true, false, false])
    expect(ownedEntries(tree, 'addresses', 'value')({ value: 'x' })).toBe(false)
  })
})
