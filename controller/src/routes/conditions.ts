// metav1.Condition values (without timestamps) for results.
import type { Condition } from './results'

export function condition(type: string, ok: boolean, reason: string, message: string, observedGeneration: number): Condition {
  return { type, status: ok ? 'True' : 'False', reason, message, observedGeneration }
}
