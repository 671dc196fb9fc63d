// A route's policies from both places they can be named: the object's edge-ingress.io/policy
// annotation (every rule or path) and a rule's ExtensionRef filters (that rule, winning setting
// by setting). A rate limit's tokens are shared by the rules of the object that set it, or by
// the rule alone when the rule set it.
import type { Filter } from '../../../../edge/src/route-table/types'
import type { ObjectRef } from '../results'
import type { Inventory } from '../model/inventory'
import { annotatedPolicies } from './annotation'
import { policyFilters } from './filters'
import { found, type PolicyChecked } from './problem'
import { NO_SETTINGS, overlay, resolvePolicies, type PolicySettings } from './resolve'

/** The settings the object's annotation names (none without the annotation). */
export function objectPolicies(inventory: Inventory, object: ObjectRef, annotations: Record<string, string> | undefined): PolicyChecked<PolicySettings> {
  const names = annotatedPolicies(annotations)
  if (!names.ok) return names
  return names.value.length === 0 ? found(NO_SETTINGS) : resolvePolicies(inventory, object.namespace, names.value)
}

/** The filters of one rule (or Ingress path): `ruleNames` from its ExtensionRefs, `rule` null for the whole object. */
export function routePolicyFilters(inventory: Inventory, object: ObjectRef, objectSettings: PolicySettings, ruleNames: readonly string[], rule: number | null): PolicyChecked<Filter[]> {
  const ruleSettings = ruleNames.length === 0 ? found(NO_SETTINGS) : resolvePolicies(inventory, object.namespace, ruleNames)
  if (!ruleSettings.ok) return ruleSettings
  const objectBucket = `${object.kind}/${object.namespace}/${object.name}`
  const bucket = ruleSettings.value.rateLimit !== null && rule !== null ? `${objectBucket}/rule/${rule}` : objectBucket
  return policyFilters(inventory, overlay(objectSettings, ruleSettings.value), bucket)
}
