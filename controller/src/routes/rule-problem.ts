// Why an HTTPRoute rule cannot be served as written. Dropped rules are reported in status
// (PartiallyInvalid, or Accepted=False when no rule is left) and as `routes check` errors.
export interface RuleProblem {
  reason: 'UnsupportedValue' | 'IncompatibleFilters'
  field: string
  message: string
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: RuleProblem }

export const ok = <T>(value: T): Checked<T> => ({ ok: true, value })
export const unsupported = (field: string, message: string): { ok: false; problem: RuleProblem } => ({ ok: false, problem: { reason: 'UnsupportedValue', field, message } })
export const incompatible = (field: string, message: string): { ok: false; problem: RuleProblem } => ({ ok: false, problem: { reason: 'IncompatibleFilters', field, message } })
