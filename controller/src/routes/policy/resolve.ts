// The EdgePolicies a route names -> one value per setting (rateLimit, authentication,
// maxRequestBodyBytes). Two policies named at the same level may not set the same thing (which
// one should win would be a guess); a rule's ExtensionRef policies override the object's
// annotated ones setting by setting.
import type { Inventory } from '../model/inventory'
import { EDGE_POLICY_KIND, type EdgePolicySpec } from '../model/edge-policy'
import { found, invalid, notFound, type PolicyChecked } from './problem'

export interface Setting<T> {
  value: T
  /** `namespace/name` of the EdgePolicy it came from. */
  policy: string
}

export interface PolicySettings {
  rateLimit: Setting<NonNullable<EdgePolicySpec['rateLimit']>> | null
  authentication: Setting<NonNullable<EdgePolicySpec['authentication']>> | null
  maxRequestBodyBytes: Setting<number> | null
}

export const NO_SETTINGS: PolicySettings = { rateLimit: null, authentication: null, maxRequestBodyBytes: null }
const SETTINGS = ['rateLimit', 'authentication', 'maxRequestBodyBytes'] as const

export function resolvePolicies(inventory: Inventory, namespace: string, names: readonly string[]): PolicyChecked<PolicySettings> {
  const settings: PolicySettings = { ...NO_SETTINGS }
  for (const name of names) {
    const key = `${namespace}/${name}`
    const known = inventory.edgePolicies.get(key)
    if (known === undefined) {
      const broken = inventory.invalid.find((i) => i.ref.kind === EDGE_POLICY_KIND && i.ref.namespace === namespace && i.ref.name === name)
      return broken ? invalid(`EdgePolicy ${key} is invalid: ${broken.message}`) : notFound(`EdgePolicy ${key} not found`)
    }
    const spec = known.value.spec
    for (const setting of SETTINGS) {
      const value = spec[setting]
      if (value === undefined) continue
      const earlier = settings[setting]
      if (earlier !== null) return invalid(`EdgePolicies ${earlier.policy} and ${key} both set ${setting}; name one policy per setting`)
      ;(settings as unknown as Record<string, Setting<unknown>>)[setting] = { value, policy: key }
    }
  }
  return found(settings)
}

/** The rule's settings where it has them, else the object's. */
export function overlay(object: PolicySettings, rule: PolicySettings): PolicySettings {
  return {
    rateLimit: rule.rateLimit ?? object.rateLimit,
    authentication: rule.authentication ?? object.authentication,
    maxRequestBodyBytes: rule.maxRequestBodyBytes ?? object.maxRequestBodyBytes,
  }
}
