// gateway.networking.k8s.io GatewayClass, Gateway and ReferenceGrant, as their CRDs validate
// them. Enumerations that the spec says may grow (protocol) are plain strings here: an unknown
// value is reported in status, never a reason to refuse the object.
import { z } from 'zod'
import { GATEWAY_GROUP } from '../constants'
import { hostname, labelSelector, metadata, name, port } from './common'

export const gatewayClass = z.object({
  metadata,
  spec: z.object({
    controllerName: z.string().min(1),
    parametersRef: z.object({ group: z.string(), kind: z.string(), name: z.string() }).loose().optional(),
  }),
})
export type GatewayClass = z.infer<typeof gatewayClass>

const routeGroupKind = z.object({ group: z.string().default(GATEWAY_GROUP), kind: z.string().min(1) })

const listener = z.object({
  name: z.string().min(1).max(253),
  hostname: hostname.optional(),
  port,
  protocol: z.string().min(1),
  tls: z.object({ mode: z.string().optional() }).loose().optional(),
  allowedRoutes: z
    .object({
      namespaces: z
        .object({ from: z.enum(['All', 'Selector', 'Same', 'None']).default('Same'), selector: labelSelector.optional() })
        .default({ from: 'Same' }),
      kinds: z.array(routeGroupKind).optional(),
    })
    .default({ namespaces: { from: 'Same' } }),
})
export type Listener = z.infer<typeof listener>

export const gateway = z.object({
  metadata,
  spec: z.object({
    gatewayClassName: name,
    listeners: z.array(listener).min(1).max(64),
    addresses: z.array(z.object({ type: z.string().optional(), value: z.string().optional() })).optional(),
  }),
})
export type Gateway = z.infer<typeof gateway>

export const referenceGrant = z.object({
  metadata,
  spec: z.object({
    from: z.array(z.object({ group: z.string(), kind: z.string().min(1), namespace: z.string().min(1) })).min(1),
    to: z.array(z.object({ group: z.string(), kind: z.string().min(1), name: z.string().optional() })).min(1),
  }),
})
export type ReferenceGrant = z.infer<typeof referenceGrant>
