// Events the route module records besides status (pure): a Warning on the loser of every
// conflict, and for Ingresses, whose status has no conditions, one per backend problem and
// one when the Ingress is invalid. The EventRecorder drops repeats within its window, so the
// same outcome recompiled again does not flood the namespace.
import type { EventRecord } from '../../ports/kubernetes'
import type { CompileResult, ObjectRef } from '../results'

export interface ObjectIdentity {
  apiVersion: string
  uid?: string
}

export function routeEvents(result: CompileResult, identify: (ref: ObjectRef) => ObjectIdentity | null): EventRecord[] {
  const events: EventRecord[] = []
  const warn = (ref: ObjectRef, reason: string, message: string) => {
    const identity = identify(ref)
    if (!identity) return
    events.push({
      regarding: { kind: ref.kind, apiVersion: identity.apiVersion, ...(ref.namespace ? { namespace: ref.namespace } : {}), name: ref.name, ...(identity.uid ? { uid: identity.uid } : {}) },
      type: 'Warning',
      reason,
      message,
    })
  }
  for (const c of result.conflicts) warn(c.loser.object, 'RouteConflict', c.message)
  for (const ingress of result.ingresses) {
    if (ingress.message.startsWith('invalid:')) warn(ingress.object, 'Invalid', ingress.message)
    for (const p of ingress.backendProblems) warn(ingress.object, p.reason, `${p.field}: ${p.message} (the edge answers 500 for it)`)
  }
  return events
}
