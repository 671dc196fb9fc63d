// Policy settings -> route-table filters (RateLimit, Authentication, RequestBodyLimit). API keys
// leave the controller only as SHA-256 digests: inline ones are given as digests, and each entry
// of a referenced Secret (labelled edge-ingress.io/api-keys=true) is hashed here. Nothing here
// puts a key, or a part of one, into a message.
import { createHash } from 'node:crypto'
import { checkJwksUrl } from '../../../../edge/src/route-table/validate-policy'
import type { AuthenticationPolicy, Filter } from '../../../../edge/src/route-table/types'
import { durationMs } from '../duration'
import { API_KEYS_LABEL } from '../model/edge-policy'
import type { Inventory } from '../model/inventory'
import { found, invalid, notFound, type PolicyChecked } from './problem'
import type { PolicySettings, Setting } from './resolve'

const MAX_PERIOD_SECONDS = 86_400
const MAX_CLOCK_SKEW_SECONDS = 600
const MAX_KEYS = 10_000

/** `bucket`: who shares the rate limit's tokens (the object, or the object's rule). */
export function policyFilters(inventory: Inventory, settings: PolicySettings, bucket: string): PolicyChecked<Filter[]> {
  const filters: Filter[] = []
  if (settings.authentication !== null) {
    const auth = authentication(inventory, settings.authentication)
    if (!auth.ok) return auth
    filters.push({ type: 'Authentication', ...auth.value })
  }
  if (settings.rateLimit !== null) {
    const { value, policy } = settings.rateLimit
    const periodMs = durationMs(value.period)
    if (periodMs % 1000 !== 0 || periodMs < 1000 || periodMs > MAX_PERIOD_SECONDS * 1000) {
      return invalid(`EdgePolicy ${policy}: rateLimit.period "${value.period}" must be whole seconds from 1s to 24h`)
    }
    filters.push({
      type: 'RateLimit',
      bucket,
      requests: value.requests,
      periodSeconds: periodMs / 1000,
      burst: value.burst ?? value.requests,
      key: value.key.type === 'Header' ? { type: 'Header', name: value.key.header!.toLowerCase() } : { type: 'ClientAddress' },
      workersBinding: value.cloudflareBinding ?? null,
    })
  }
  if (settings.maxRequestBodyBytes !== null) filters.push({ type: 'RequestBodyLimit', maxBytes: settings.maxRequestBodyBytes.value })
  return found(filters)
}

function authentication(inventory: Inventory, { value, policy }: Setting<NonNullable<PolicySettings['authentication']>['value']>): PolicyChecked<AuthenticationPolicy> {
  const namespace = policy.split('/')[0]!
  let apiKey: AuthenticationPolicy['apiKey'] = null
  if (value.apiKey !== undefined) {
    const keys = value.apiKey.keys.map((k) => ({ name: k.name, sha256: k.sha256.toLowerCase() }))
    if (value.apiKey.secretRef !== undefined) {
      const fromSecret = secretKeys(inventory, namespace, value.apiKey.secretRef.name, policy)
      if (!fromSecret.ok) return fromSecret
      keys.push(...fromSecret.value)
    }
    if (keys.length > MAX_KEYS) return invalid(`EdgePolicy ${policy}: more than ${MAX_KEYS} API keys`)
    const header = value.apiKey.header.toLowerCase()
    if (header === 'authorization' && value.jwt !== undefined) return invalid(`EdgePolicy ${policy}: apiKey.header must not be Authorization when jwt is set too`)
    apiKey = { header, keys }
  }
  let jwt: AuthenticationPolicy['jwt'] = null
  if (value.jwt !== undefined) {
    const { issuer, audiences, jwksUri, algorithms, clockSkew, jwksCacheDuration } = value.jwt
    const badUrl = checkJwksUrl(jwksUri)
    if (badUrl !== null) return invalid(`EdgePolicy ${policy}: jwt.jwksUri: ${badUrl}`)
    const clockSkewSeconds = Math.ceil(durationMs(clockSkew) / 1000)
    if (clockSkewSeconds > MAX_CLOCK_SKEW_SECONDS) return invalid(`EdgePolicy ${policy}: jwt.clockSkew must be at most 10m`)
    const jwksCacheSeconds = Math.ceil(durationMs(jwksCacheDuration) / 1000)
    if (jwksCacheSeconds < 1 || jwksCacheSeconds > MAX_PERIOD_SECONDS) return invalid(`EdgePolicy ${policy}: jwt.jwksCacheDuration must be from 1s to 24h`)
    jwt = { issuer, audiences: [...new Set(audiences)], jwksUrl: jwksUri, algorithms: [...new Set(algorithms)], clockSkewSeconds, jwksCacheSeconds }
  }
  return found({ realm: value.realm ?? policy.split('/')[1]!, apiKey, jwt })
}

/** Each entry of the Secret is one key, named `<secret>/<entry>` in log lines. */
function secretKeys(inventory: Inventory, namespace: string, name: string, policy: string): PolicyChecked<{ name: string; sha256: string }[]> {
  const secret = inventory.secrets.get(`${namespace}/${name}`)
  const where = `Secret ${namespace}/${name} (apiKey.secretRef of EdgePolicy ${policy})`
  if (secret === undefined) return notFound(`${where} not found, or not readable by the controller`)
  if (secret.value.metadata.labels?.[API_KEYS_LABEL] !== 'true') {
    return invalid(`${where} lacks the label ${API_KEYS_LABEL}: "true" (the controller reads only Secrets labelled so)`)
  }
  const entries = new Map<string, string>()
  for (const [entry, encoded] of Object.entries(secret.value.data ?? {})) entries.set(entry, Buffer.from(encoded, 'base64').toString('utf8'))
  for (const [entry, text] of Object.entries(secret.value.stringData ?? {})) entries.set(entry, text)
  const keys = [...entries].filter(([, key]) => key.trim() !== '').map(([entry, key]) => ({ name: `${name}/${entry}`, sha256: createHash('sha256').update(key.trim()).digest('hex') }))
  if (keys.length === 0) return invalid(`${where} holds no keys (each data entry is one API key)`)
  return found(keys.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)))
}
