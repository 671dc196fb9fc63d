import { describe, expect, it } from 'vitest'
import { selectorMatches } from './label-selector'

describe('selectorMatches (metav1.LabelSelector)', () => {
  const labels = { team: 'shop', env: 'prod' }
  it('selects everything when empty', () => expect(selectorMatches({}, labels)).toBe(true))
  it('needs every matchLabels entry', () => {
    expect(selectorMatches({ matchLabels: { team: 'shop' } }, labels)).toBe(true)
    expect(selectorMatches({ matchLabels: { team: 'shop', env: 'dev' } }, labels)).toBe(false)
  })
  it('applies In, NotIn, Exists and DoesNotExist', () => {
    expect(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'stage'] }] }, labels)).toBe(true)
    expect(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, labels)).toBe(false)
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['x'] }] }, labels)).toBe(true)
    expect(selectorMatches({ matchExpressions: [{ key: 'team', operator: 'Exists' }] }, labels)).toBe(true)
    expect(selectorMatches({ matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] }, labels)).toBe(false)
  })
})
