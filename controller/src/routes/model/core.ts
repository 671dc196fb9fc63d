// Core kinds the compiler reads: Service (backends and their L4 balancer) and Namespace
// (labels for Gateway allowedRoutes selectors).
import { z } from 'zod'
import { metadata, port } from './common'

export const service = z.object({
  metadata,
  spec: z
    .object({
      type: z.string().optional(),
      ports: z
        .array(
          z.object({
            name: z.string().optional(),
            port,
            protocol: z.string().optional(),
            appProtocol: z.string().optional(),
          }),
        )
        .default([]),
    })
    .default({ ports: [] }),
  status: z
    .object({
      loadBalancer: z
        .object({
          ingress: z.array(z.object({ ip: z.string().optional(), hostname: z.string().optional() })).optional(),
        })
        .optional(),
    })
    .optional(),
})
export type Service = z.infer<typeof service>

export const namespace = z.object({ metadata })
export type Namespace = z.infer<typeof namespace>
