// Authentication by any one of the policy's methods (API key, JWT). A refusal carries the
// WWW-Authenticate challenges of every method (RFC 9110 11.6.1; Bearer errors per RFC 6750).
// When the JWKS cannot be fetched a presented token cannot be judged: 503, not 401.
import type { AuthenticationPolicy } from '../route-table/types'
import { checkApiKey } from './api-key'
import type { JwtVerifier } from './jwt'

export type AuthDecision =
  /** `by` names the method for the log line: `api-key <name>` or `jwt`; never a credential. */
  | { ok: true; by: string }
  | { ok: false; status: 401 | 503; error: string; challenges: string[] }

export async function authenticate(policy: AuthenticationPolicy, headers: Headers, jwt: JwtVerifier): Promise<AuthDecision> {
  const problems: string[] = []
  let tokenProblem: string | null = null
  let keysUnavailable: string | null = null
  if (policy.apiKey !== null) {
    const result = await checkApiKey(policy.apiKey, headers)
    if (result.ok) return { ok: true, by: `api-key ${result.keyName}` }
    if (result.reason === 'invalid') problems.push(`the API key in ${policy.apiKey.header} is not valid`)
  }
  if (policy.jwt !== null) {
    const result = await jwt.verify(policy.jwt, headers)
    if (result.ok) return { ok: true, by: 'jwt' }
    if (result.reason === 'invalid') problems.push((tokenProblem = `the bearer token is not valid: ${result.detail}`))
    if (result.reason === 'unavailable') keysUnavailable = result.detail
  }
  const challenges = challengesFor(policy, tokenProblem)
  if (keysUnavailable !== null) return { ok: false, status: 503, error: keysUnavailable, challenges: [] }
  if (problems.length > 0) return { ok: false, status: 401, error: problems.join('; '), challenges }
  return { ok: false, status: 401, error: `authentication required: ${wanted(policy)}`, challenges }
}

function wanted(policy: AuthenticationPolicy): string {
  const ways: string[] = []
  if (policy.apiKey !== null) ways.push(`an API key in ${policy.apiKey.header}`)
  if (policy.jwt !== null) ways.push('a bearer token in Authorization')
  return `send ${ways.join(' or ')}`
}

const quoted = (text: string) => `"${text.replace(/["\\\u0000-\u001f\u007f]/g, ' ')}"`

function challengesFor(policy: AuthenticationPolicy, tokenProblem: string | null): string[] {
  const out: string[] = []
  if (policy.apiKey !== null) out.push(`APIKey realm=${quoted(policy.realm)}, header=${quoted(policy.apiKey.header)}`)
  if (policy.jwt !== null) {
    const error = tokenProblem === null ? '' : `, error="invalid_token", error_description=${quoted(tokenProblem)}`
    out.push(`Bearer realm=${quoted(policy.realm)}${error}`)
  }
  return out
}
