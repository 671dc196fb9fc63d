// Schema pieces shared by the Kubernetes kinds we read: metadata, names, label selectors.
// Shapes and patterns follow the API's own OpenAPI validation, so an object the apiserver
// would refuse is refused here too, with the field path of the problem.
import { z } from 'zod'

/** RFC 1123 DNS name, optionally with a leading `*.` label (Gateway API Hostname, Ingress host). */
export const HOSTNAME_PATTERN = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
export const PRECISE_HOSTNAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
/** RFC 9110 token: header names. */
export const TOKEN_PATTERN = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/

export const hostname = z.string().max(253).regex(HOSTNAME_PATTERN, 'must be a lowercase DNS name, optionally starting with "*."')
export const preciseHostname = z.string().max(253).regex(PRECISE_HOSTNAME_PATTERN, 'must be a lowercase DNS name')
export const headerName = z.string().max(256).regex(TOKEN_PATTERN, 'must be an HTTP header name (RFC 9110 token)')
export const port = z.int().min(1).max(65535)
export const name = z.string().min(1).max(253)

export const metadata = z.object({
  name,
  namespace: z.string().min(1).max(63).optional(),
  creationTimestamp: z.string().optional(),
  generation: z.int().min(0).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
})
export type Metadata = z.infer<typeof metadata>

export const labelSelector = z.object({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z
    .array(
      z.object({
        key: z.string().min(1),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
})
export type LabelSelector = z.infer<typeof labelSelector>
