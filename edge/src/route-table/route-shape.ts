// The shape of a route, an action and a gateway (types.ts), checked by hand: this runs once per
// route and once per backend Service, so it is the parser's hot loop (ADR 0100). Filters and retry policies are rare and varied;
// they go through their zod schemas (schema.ts).
import { checkBackendFilter, checkFilter, checkRetry } from './schema'
import { arrayOf, integer, nullable, object, oneOf, string, within, type Check } from './shape'

const MAX_INT = 2 ** 31 - 1
const text: Check = (v) => string(v, 1, 1024)
const port: Check = (v) => integer(v, 1, 65535)
const count: Check = (v) => integer(v, 0, MAX_INT)

export const checkGatewayShape: Check = object({
  id: text,
  cluster: (v) => string(v, 0, 1024),
  address: (v) => string(v, 1, 253),
  port,
  protocol: (v) => oneOf(v, ['http', 'https']),
})

/** A virtual host without its routes (checked one by one after it, for their paths). */
export const checkVirtualHostShape: Check = object({
  hostname: (v) => string(v, 0, 255),
  routes: arrayOf(() => null),
})

export const checkBackendShape: Check = object({
  gateway: nullable(text),
  weight: (v) => integer(v, 0, 1_000_000),
  service: object({ namespace: text, name: text, port }),
  filters: arrayOf(checkBackendFilter),
})

/** A filter, and for a mirror its backend, which has the shape of any other backend. */
const checkFilterShape: Check = (value) => {
  const found = checkFilter(value)
  if (found || (value as { type: string }).type !== 'RequestMirror') return found
  return within(['backend'], checkBackendShape((value as { backend: unknown }).backend))
}

export const checkActionShape: Check = object({
  backends: arrayOf(checkBackendShape),
  filters: arrayOf(checkFilterShape),
  timeouts: object({ requestMs: nullable(count), backendMs: nullable(count) }),
  retry: nullable(checkRetry),
})

const valueMatch = object({
  name: (v) => string(v, 0, 256),
  type: (v) => oneOf(v, ['Exact', 'RegularExpression']),
  value: (v) => string(v, 0, 4096),
})

export const checkRouteShape: Check = object({
  id: text,
  source: object({
    kind: (v) => oneOf(v, ['Ingress', 'HTTPRoute']),
    namespace: text,
    name: text,
    rule: count,
    match: count,
    createdAt: (v) => string(v, 1, 64),
    cluster: (v) => string(v, 0, 1024),
  }),
  wildcard: (v) => oneOf(v, ['suffix', 'single-label']),
  listenerPorts: arrayOf(port),
  match: object({
    path: object({ type: (v) => oneOf(v, ['Exact', 'PathPrefix']), value: (v) => string(v, 1, 4096) }),
    method: nullable((v) => string(v, 1, 64)),
    headers: arrayOf(valueMatch),
    query: arrayOf(valueMatch),
  }),
  action: checkActionShape,
})
