// The shape of the rare, varied parts of the route table as zod schemas: filters and retry
// policies. Everything that repeats per route, and the top level, is checked by hand
// (validate.ts, validate-route.ts, validate-action.ts; ADR 0100, ADR 0104). Rules that need more than one field
// (references, uniqueness, filter combinations) are in validate.ts and validate-action.ts.
// The schemas only check: the table is used as it was read, and unknown keys are ignored, not
// refused (the contract grows additively within schemaVersion 1, so an older edge must read a
// newer controller's table; docs/route-table.md).
import { z } from 'zod'
import type { Problem } from './shape'
import type { Backend, Filter, RetryPolicy } from './types'

const port = z.int().min(1).max(65535)
const text = z.string().min(1).max(1024)
const nonNegativeInt = z.int().min(0).max(2 ** 31 - 1)

const headerPair = z.object({ name: z.string(), value: z.string().max(8192) })
const headerModifierFields = { set: z.array(headerPair), add: z.array(headerPair), remove: z.array(z.string()) }
const requestHeaderModifier = z.object({ type: z.literal('RequestHeaderModifier'), ...headerModifierFields })
const responseHeaderModifier = z.object({ type: z.literal('ResponseHeaderModifier'), ...headerModifierFields })

const pathModifier = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ReplaceFullPath'), value: z.string().max(4096) }),
  z.object({ type: z.literal('ReplacePrefixMatch'), value: z.string().max(4096) }),
])

/** Mirror targets are backends too; their shape is checked with theirs (validate-action.ts). */
const mirrorBackend = z.custom<Backend>(() => true)

const filter = z.discriminatedUnion('type', [
  requestHeaderModifier,
  responseHeaderModifier,
  z.object({
    type: z.literal('RequestRedirect'),
    scheme: z.enum(['http', 'https']).nullable(),
    hostname: z.string().max(253).nullable(),
    port: port.nullable(),
    path: pathModifier.nullable(),
    statusCode: z.union([z.literal(301), z.literal(302), z.literal(303), z.literal(307), z.literal(308)]),
  }),
  z.object({ type: z.literal('URLRewrite'), hostname: z.string().max(253).nullable(), path: pathModifier.nullable() }),
  z.object({ type: z.literal('RequestMirror'), backend: mirrorBackend, percent: z.number().min(0).max(100) }),
  z.object({
    type: z.literal('RateLimit'),
    bucket: text,
    requests: z.int().min(1).max(1_000_000_000),
    periodSeconds: z.int().min(1).max(86_400),
    burst: z.int().min(1).max(1_000_000_000),
    key: z.discriminatedUnion('type', [z.object({ type: z.literal('ClientAddress') }), z.object({ type: z.literal('Header'), name: z.string() })]),
    workersBinding: z.string().max(256).nullable(),
  }),
  z.object({
    type: z.literal('Authentication'),
    realm: z.string().max(256),
    apiKey: z.object({ header: z.string(), keys: z.array(z.object({ name: text, sha256: z.string() })).min(1).max(10_000) }).nullable(),
    jwt: z
      .object({
        issuer: text,
        audiences: z.array(text).min(1).max(64),
        jwksUrl: z.string().min(1).max(2048),
        algorithms: z.array(z.enum(['RS256', 'ES256'])).min(1),
        clockSkewSeconds: z.int().min(0).max(600),
        jwksCacheSeconds: z.int().min(1).max(86_400),
      })
      .nullable(),
  }),
  z.object({ type: z.literal('RequestBodyLimit'), maxBytes: nonNegativeInt }),
  z.object({
    type: z.literal('CORS'),
    allowOrigins: z.array(z.string().max(1024)),
    allowMethods: z.array(z.string()),
    allowHeaders: z.array(z.string()),
    exposeHeaders: z.array(z.string()),
    allowCredentials: z.boolean(),
    maxAgeSeconds: nonNegativeInt,
  }),
])

/** Backend filters: header modifiers only. */
const backendFilter = z.discriminatedUnion('type', [requestHeaderModifier, responseHeaderModifier])

const retry = z.object({
  attempts: z.int().min(1).max(100),
  onStatus: z.array(z.int().min(400).max(599)),
  backoffMs: nonNegativeInt,
})

/** A zod schema as a shape check, keeping zod's path and message. */
const check =
  (schema: z.ZodType) =>
  (value: unknown): Problem | null => {
    const result = schema.safeParse(value)
    if (result.success) return null
    const issue = result.error.issues[0]!
    return { at: issue.path.map((key) => (typeof key === 'number' ? key : String(key))), message: issue.message }
  }

export const checkFilter = check(filter)
export const checkBackendFilter = check(backendFilter)
export const checkRetry = check(retry)

// Compile-time guards: each schema's output and its contract type are assignable both ways.
type MutuallyAssignable<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const guards: [MutuallyAssignable<z.infer<typeof filter>, Filter>, MutuallyAssignable<z.infer<typeof retry>, RetryPolicy>] = [true, true]
void guards
