// What every part of one compile shares: the validated objects, the gateways found so far and
// the diagnostics list.
import type { GatewayRegistry } from './backends'
import type { Inventory } from './model/inventory'
import type { Diagnostic, ObjectRef, Severity } from './results'

export interface CompileContext {
  inventory: Inventory
  registry: GatewayRegistry
  diagnostics: Diagnostic[]
}

export function report(ctx: CompileContext, severity: Severity, object: ObjectRef | null, field: string | null, message: string): void {
  ctx.diagnostics.push({ severity, object, field, message })
}
