// edge-ingress.io/v1alpha1 EdgePolicy (infra/crds/edgepolicies.yaml; ADR 0620): API-gateway
// policies a route names through the edge-ingress.io/policy annotation or an ExtensionRef
// filter. Shapes and bounds follow the CRD's OpenAPI schema, so an object the apiserver would
// refuse is refused here too (manifest files never met an apiserver).
import { z } from 'zod'
import { headerName, metadata, name } from './common'

export const EDGE_POLICY_GROUP = 'edge-ingress.io'
export const EDGE_POLICY_KIND = 'EdgePolicy'

/** Gateway API duration (GEP-2257), e.g. `1m` or `1m30s`. */
const duration = z.string().regex(/^([0-9]{1,5}(h|m|s|ms)){1,4}$/, 'must be a duration like "1s", "1m" or "1m30s"')

const rateLimit = z
  .object({
    requests: z.int().min(1).max(1_000_000_000),
    period: duration,
    burst: z.int().min(1).max(1_000_000_000).optional(),
    key: z
      .object({ type: z.enum(['ClientAddress', 'Header']), header: headerName.optional() })
      .refine((k) => (k.type === 'Header') === (k.header !== undefined), 'set header exactly when type is Header')
      .default({ type: 'ClientAddress' }),
    cloudflareBinding: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a Workers binding name (letters, digits, _)').max(256).optional(),
  })
  .strict()

const apiKey = z
  .object({
    header: headerName.default('X-API-Key'),
    keys: z.array(z.object({ name: z.string().min(1).max(253), sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be a SHA-256 digest (64 hex digits)') }).strict()).max(1000).default([]),
    secretRef: z.object({ name }).strict().optional(),
  })
  .strict()
  .refine((a) => a.keys.length > 0 || a.secretRef !== undefined, 'set keys, secretRef or both')

const jwt = z
  .object({
    issuer: z.string().min(1).max(1024),
    audiences: z.array(z.string().min(1).max(1024)).min(1).max(64),
    jwksUri: z.string().min(1).max(2048),
    algorithms: z.array(z.enum(['RS256', 'ES256'])).min(1).default(['RS256', 'ES256']),
    clockSkew: duration.default('60s'),
    jwksCacheDuration: duration.default('5m'),
  })
  .strict()

export const edgePolicy = z.object({
  metadata,
  spec: z
    .object({
      rateLimit: rateLimit.optional(),
      authentication: z
        .object({ realm: z.string().max(256).regex(/^[ !#-[\]-~]*$/, 'must be printable ASCII without quotes or backslashes').optional(), apiKey: apiKey.optional(), jwt: jwt.optional() })
        .strict()
        .refine((a) => a.apiKey !== undefined || a.jwt !== undefined, 'set apiKey, jwt or both')
        .optional(),
      maxRequestBodyBytes: z.int().min(0).max(2 ** 31 - 1).optional(),
    })
    .strict()
    .refine((s) => s.rateLimit !== undefined || s.authentication !== undefined || s.maxRequestBodyBytes !== undefined, 'set at least one of rateLimit, authentication, maxRequestBodyBytes'),
})
export type EdgePolicy = z.infer<typeof edgePolicy>
export type EdgePolicySpec = EdgePolicy['spec']

/** The label a Secret needs before the controller reads it as API keys (it watches only those). */
export const API_KEYS_LABEL = 'edge-ingress.io/api-keys'

export const secret = z.object({
  metadata,
  type: z.string().optional(),
  data: z.record(z.string(), z.string()).optional(),
  stringData: z.record(z.string(), z.string()).optional(),
})
export type Secret = z.infer<typeof secret>
