// Why a route's policies cannot be applied. The route then answers 500 (a policy that cannot be
// enforced is never skipped: it may be the route's authentication), and the reason goes to
// ResolvedRefs (HTTPRoute), an Event (Ingress) and `routes check`.
export interface PolicyProblem {
  /** Ours: an EdgePolicy or Secret that does not exist; or one whose content cannot be used. */
  reason: 'PolicyNotFound' | 'InvalidPolicy'
  message: string
}

export type PolicyChecked<T> = { ok: true; value: T } | { ok: false; problem: PolicyProblem }

export const found = <T>(value: T): PolicyChecked<T> => ({ ok: true, value })
export const notFound = (message: string): { ok: false; problem: PolicyProblem } => ({ ok: false, problem: { reason: 'PolicyNotFound', message } })
export const invalid = (message: string): { ok: false; problem: PolicyProblem } => ({ ok: false, problem: { reason: 'InvalidPolicy', message } })
