// metav1.Condition bookkeeping for status writes: a condition keeps its lastTransitionTime
// while its status stays the same (reason or message may change), as the API conventions ask.
import type { Condition as KubeCondition } from '../../ports/kubernetes-objects'
import type { Condition } from '../results'

/** The conditions as the object carries them now (anything malformed is treated as absent). */
export function existingConditions(value: unknown): KubeCondition[] {
  if (!Array.isArray(value)) return []
  return value.filter(
    (c): c is KubeCondition => typeof c === 'object' && c !== null && typeof c.type === 'string' && typeof c.status === 'string' && typeof c.lastTransitionTime === 'string',
  )
}

export function withTransitionTimes(desired: readonly Condition[], existing: readonly KubeCondition[], now: string): KubeCondition[] {
  return desired.map((c) => {
    const before = existing.find((e) => e.type === c.type)
    const lastTransitionTime = before && before.status === c.status ? before.lastTransitionTime : now
    return { type: c.type, status: c.status, reason: c.reason, message: truncate(c.message), lastTransitionTime, observedGeneration: c.observedGeneration }
  })
}

/** metav1.Condition.message is limited to 32768 characters. */
const truncate = (message: string) => (message.length > 32_768 ? `${message.slice(0, 32_765)}...` : message)
