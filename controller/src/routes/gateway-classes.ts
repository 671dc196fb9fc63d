// GatewayClasses whose controllerName is ours get an Accepted condition; a parametersRef is
// refused (InvalidParameters): this controller has no parameters resource.
import { condition } from './conditions'
import { GATEWAY_CONTROLLER } from './constants'
import type { GatewayClass } from './model/gateway'
import type { Known } from './model/inventory'
import type { GatewayClassResult } from './results'

export interface ClassState {
  result: GatewayClassResult
  accepted: boolean
  message: string
}

export function evaluateGatewayClasses(classes: ReadonlyMap<string, Known<GatewayClass>>): Map<string, ClassState> {
  const states = new Map<string, ClassState>()
  for (const [name, known] of classes) {
    if (known.value.spec.controllerName !== GATEWAY_CONTROLLER) continue
    const ref = known.value.spec.parametersRef
    const accepted = ref === undefined
    const message = accepted ? 'handled by edge-ingress' : `parametersRef ${ref.group}/${ref.kind} "${ref.name}" is not supported: edge-ingress has no parameters resource`
    const result: GatewayClassResult = {
      object: known.ref,
      generation: known.generation,
      conditions: [condition('Accepted', accepted, accepted ? 'Accepted' : 'InvalidParameters', message, known.generation)],
    }
    states.set(name, { result, accepted, message })
  }
  return states
}
