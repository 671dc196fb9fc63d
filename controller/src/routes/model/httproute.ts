// gateway.networking.k8s.io HTTPRoute (v1; v1beta1 has the same shape), as its CRD's OpenAPI
// schema validates it. Enumerations the spec says may grow (path/header/query match types,
// methods, filter types) are plain strings: an unknown value gets UnsupportedValue in status,
// never a crash. Cross-field rules (the CRD's CEL rules) are checked per rule by the compiler.
import { z } from 'zod'
import { GATEWAY_GROUP } from '../constants'
import { headerName, hostname, metadata, name, port, preciseHostname } from './common'

const DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/
const duration = z.string().regex(DURATION, 'must be a Gateway API duration (GEP-2257), e.g. "10s" or "1m30s"')

const backendObjectRef = {
  group: z.string().default(''),
  kind: z.string().min(1).default('Service'),
  name,
  namespace: z.string().min(1).max(63).optional(),
  port: port.optional(),
}

const headerPair = z.object({ name: headerName, value: z.string().max(4096) })
const headerModifier = z.object({
  set: z.array(headerPair).max(16).default([]),
  add: z.array(headerPair).max(16).default([]),
  remove: z.array(headerName).max(16).default([]),
})
export type HeaderModifierSpec = z.infer<typeof headerModifier>

const pathModifier = z.object({
  type: z.string().min(1),
  replaceFullPath: z.string().max(1024).optional(),
  replacePrefixMatch: z.string().max(1024).optional(),
})
export type PathModifierSpec = z.infer<typeof pathModifier>

const filter = z.object({
  type: z.string().min(1),
  requestHeaderModifier: headerModifier.optional(),
  responseHeaderModifier: headerModifier.optional(),
  requestRedirect: z
    .object({
      scheme: z.enum(['http', 'https']).optional(),
      hostname: preciseHostname.optional(),
      path: pathModifier.optional(),
      port: port.optional(),
      statusCode: z.int().default(302),
    })
    .optional(),
  urlRewrite: z.object({ hostname: preciseHostname.optional(), path: pathModifier.optional() }).optional(),
  requestMirror: z
    .object({
      backendRef: z.object(backendObjectRef),
      percent: z.int().min(0).max(100).optional(),
      fraction: z.object({ numerator: z.int().min(0), denominator: z.int().min(1).default(100) }).optional(),
    })
    .optional(),
  cors: z
    .object({
      allowOrigins: z.array(z.string().max(253)).max(64).default([]),
      allowCredentials: z.boolean().default(false),
      allowMethods: z.array(z.string()).max(9).default([]),
      allowHeaders: z.array(headerName).max(64).default([]),
      exposeHeaders: z.array(headerName).max(64).default([]),
      maxAge: z.int().min(1).default(5),
    })
    .optional(),
  extensionRef: z.object({ group: z.string(), kind: z.string().min(1), name }).optional(),
})
export type FilterSpec = z.infer<typeof filter>

const backendRef = z.object({
  ...backendObjectRef,
  weight: z.int().min(0).max(1_000_000).default(1),
  filters: z.array(filter).max(16).default([]),
})
export type BackendRefSpec = z.infer<typeof backendRef>

const valueMatch = z.object({ type: z.string().default('Exact'), name: headerName, value: z.string().min(1).max(4096) })
export type ValueMatchSpec = z.infer<typeof valueMatch>

const DEFAULT_PATH = { type: 'PathPrefix', value: '/' }
const match = z.object({
  path: z.object({ type: z.string().default('PathPrefix'), value: z.string().max(1024).default('/') }).default(DEFAULT_PATH),
  headers: z.array(valueMatch).max(16).default([]),
  queryParams: z.array(valueMatch).max(16).default([]),
  method: z.string().optional(),
})
export type MatchSpec = z.infer<typeof match>

const DEFAULT_MATCHES = [{ path: DEFAULT_PATH, headers: [], queryParams: [] }]
const rule = z.object({
  name: z.string().optional(),
  matches: z.array(match).max(64).default(DEFAULT_MATCHES),
  filters: z.array(filter).max(16).default([]),
  backendRefs: z.array(backendRef).max(16).default([]),
  timeouts: z.object({ request: duration.optional(), backendRequest: duration.optional() }).optional(),
  retry: z
    .object({ codes: z.array(z.int().min(400).max(599)).default([]), attempts: z.int().min(0).optional(), backoff: duration.optional() })
    .optional(),
})
export type RuleSpec = z.infer<typeof rule>

export const parentRef = z.object({
  group: z.string().default(GATEWAY_GROUP),
  kind: z.string().min(1).default('Gateway'),
  namespace: z.string().min(1).max(63).optional(),
  name,
  sectionName: z.string().min(1).max(253).optional(),
  port: port.optional(),
})
export type ParentRefSpec = z.infer<typeof parentRef>

export const httpRoute = z.object({
  metadata,
  spec: z.object({
    parentRefs: z.array(parentRef).max(32).default([]),
    hostnames: z.array(hostname).max(16).default([]),
    rules: z.array(rule).max(16).default([{ matches: DEFAULT_MATCHES, filters: [], backendRefs: [] }]),
  }),
})
export type HTTPRoute = z.infer<typeof httpRoute>
