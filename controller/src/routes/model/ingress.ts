// networking.k8s.io/v1 Ingress and IngressClass, as the apiserver validates them.
import { z } from 'zod'
import { hostname, metadata, name, port } from './common'

const serviceBackend = z
  .object({
    name,
    port: z
      .object({ number: port.optional(), name: z.string().min(1).optional() })
      .refine((p) => (p.number === undefined) !== (p.name === undefined), 'set exactly one of port.number and port.name'),
  })

export const ingressBackend = z
  .object({
    service: serviceBackend.optional(),
    resource: z.object({ apiGroup: z.string().optional(), kind: z.string().min(1), name }).optional(),
  })
  .refine((b) => (b.service === undefined) !== (b.resource === undefined), 'set exactly one of service and resource')
export type IngressBackend = z.infer<typeof ingressBackend>

const ingressPath = z.object({
  path: z.string().optional(),
  pathType: z.enum(['Exact', 'Prefix', 'ImplementationSpecific']),
  backend: ingressBackend,
})
export type IngressPath = z.infer<typeof ingressPath>

export const ingress = z.object({
  metadata,
  spec: z
    .object({
      ingressClassName: z.string().min(1).optional(),
      defaultBackend: ingressBackend.optional(),
      rules: z
        .array(
          z.object({
            host: hostname.optional(),
            http: z.object({ paths: z.array(ingressPath).min(1) }).optional(),
          }),
        )
        .default([]),
    })
    .default({ rules: [] }),
})
export type Ingress = z.infer<typeof ingress>

export const ingressClass = z.object({
  metadata,
  spec: z.object({ controller: z.string().optional() }).default({}),
})
export type IngressClass = z.infer<typeof ingressClass>
