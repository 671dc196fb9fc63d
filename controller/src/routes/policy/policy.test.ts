// The policy settings of a route, from manifests to the filters the edge enforces; the golden file
// testdata/edge-policies.yaml covers status and diagnostics.
import { describe, expect, it } from 'vitest'
import { checkApiKey } from '../../../../edge/src/policy/api-key'
import type { Filter } from '../../../../edge/src/route-table/types'
import { buildInventory } from '../model/inventory'
import { annotatedPolicies } from './annotation'
import { objectPolicies, routePolicyFilters } from './route-policies'

const policy = (name: string, spec: object) => ({ apiVersion: 'edge-ingress.io/v1alpha1', kind: 'EdgePolicy', metadata: { name, namespace: 'shop' }, spec })
const route = { kind: 'HTTPRoute', namespace: 'shop', name: 'api' }

describe('annotatedPolicies', () => {
  it('reads a comma-separated list of names', () => {
    expect(annotatedPolicies(undefined)).toEqual({ ok: true, value: [] })
    expect(annotatedPolicies({ 'edge-ingress.io/policy': ' auth , limits' })).toEqual({ ok: true, value: ['auth', 'limits'] })
  })

  it.each(['auth;limits', 'Auth', '', 'auth,,limits', 'auth,auth'])('refuses %j with InvalidPolicy', (value) => {
    expect(annotatedPolicies({ 'edge-ingress.io/policy': value })).toMatchObject({ ok: false, problem: { reason: 'InvalidPolicy' } })
  })
})

describe('routePolicyFilters', () => {
  it('hashes the keys of a labelled Secret so that the edge accepts exactly those keys', async () => {
    const inventory = buildInventory([
      policy('auth', { authentication: { apiKey: { secretRef: { name: 'keys' } } } }),
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'keys', namespace: 'shop', labels: { 'edge-ingress.io/api-keys': 'true' } }, data: { ci: Buffer.from(' key-1\n').toString('base64') }, stringData: { ops: 'key-2' } },
    ])
    const settings = objectPolicies(inventory, route, { 'edge-ingress.io/policy': 'auth' })
    const filters = settings.ok ? routePolicyFilters(inventory, route, settings.value, [], null) : settings
    expect(filters.ok).toBe(true)
    const auth = (filters as { value: Filter[] }).value[0] as Extract<Filter, { type: 'Authentication' }>
    expect(auth.apiKey!.keys.map((k) => k.name)).toEqual(['keys/ci', 'keys/ops'])
    expect(JSON.stringify(auth)).not.toContain('key-1')
    const present = (key: string) => checkApiKey(auth.apiKey!, new Headers({ 'x-api-key': key }))
    expect(await present('key-1')).toEqual({ ok: true, keyName: 'keys/ci' })
    expect(await present('key-2')).toEqual({ ok: true, keyName: 'keys/ops' })
    expect(await present('key-3')).toEqual({ ok: false, reason: 'invalid' })
  })

  it("a rule's policy wins setting by setting, with the rule's own rate-limit bucket", () => {
    const inventory = buildInventory([
      policy('limits', { rateLimit: { requests: 10, period: '1m' }, maxRequestBodyBytes: 100 }),
      policy('upload', { rateLimit: { requests: 1, period: '1s' } }),
    ])
    const settings = objectPolicies(inventory, route, { 'edge-ingress.io/policy': 'limits' })
    if (!settings.ok) throw new Error(settings.problem.message)
    const objectOnly = routePolicyFilters(inventory, route, settings.value, [], 0)
    const withRule = routePolicyFilters(inventory, route, settings.value, ['upload'], 2)
    expect(objectOnly).toMatchObject({ ok: true, value: [{ type: 'RateLimit', bucket: 'HTTPRoute/shop/api', requests: 10, periodSeconds: 60, burst: 10 }, { type: 'RequestBodyLimit', maxBytes: 100 }] })
    expect(withRule).toMatchObject({ ok: true, value: [{ type: 'RateLimit', bucket: 'HTTPRoute/shop/api/rule/2', requests: 1, periodSeconds: 1 }, { type: 'RequestBodyLimit', maxBytes: 100 }] })
  })

  it('refuses a period that is not whole seconds, and a Secret that does not exist', () => {
    const inventory = buildInventory([policy('fast', { rateLimit: { requests: 1, period: '500ms' } }), policy('keys', { authentication: { apiKey: { secretRef: { name: 'gone' } } } })])
    const none = { rateLimit: null, authentication: null, maxRequestBodyBytes: null }
    expect(routePolicyFilters(inventory, route, none, ['fast'], 0)).toMatchObject({ ok: false, problem: { reason: 'InvalidPolicy', message: expect.stringContaining('whole seconds') } })
    expect(routePolicyFilters(inventory, route, none, ['keys'], 0)).toMatchObject({ ok: false, problem: { reason: 'PolicyNotFound', message: expect.stringContaining('Secret shop/gone') } })
  })
})
