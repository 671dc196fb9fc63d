// The route's API-gateway policies, in order, before a request is forwarded: authentication
// (401/503), then the rate limit (429: only authenticated requests spend tokens, so a header
// key is a verified credential where the route authenticates), then the declared body size
// (413; a body of unknown length is capped while it streams, request-body.ts). Refusals carry a
// JSON body and the route's CORS headers, so a browser can read them. The API-key header is
// removed before forwarding: the key is for the edge, not for the backend.
import type { ForwardPlan } from '../dispatch/types'
import { errorResponse } from '../http/responses'
import type { LogFields, Logger } from '../observability/logger'
import { authenticate } from './authenticate'
import { declaresTooLarge } from './body-limit'
import { JwtVerifier } from './jwt'
import { createBindingRateLimiter, createMemoryRateLimiter, rateLimitClient, type RateLimitBinding, type RateLimiter } from './rate-limit'

export interface PolicyClient {
  /** The client's address as the runtime sees it (the rate-limit key); never X-Forwarded-For. */
  address: string | null
  /** Workers: the isolate's Rate Limiting bindings by name. */
  rateLimitBinding?: (name: string) => RateLimitBinding | undefined
}

export type PolicyOutcome = { allowed: true; log: LogFields } | { allowed: false; response: Response; log: LogFields }

export interface PolicyEnforcerOptions {
  logger: Logger
  rateLimiter?: RateLimiter
  jwt?: JwtVerifier
}

export class PolicyEnforcer {
  private readonly memory: RateLimiter
  private readonly jwt: JwtVerifier

  constructor(private readonly options: PolicyEnforcerOptions) {
    this.memory = options.rateLimiter ?? createMemoryRateLimiter()
    this.jwt = options.jwt ?? new JwtVerifier()
  }

  /** True when the plan carries any policy (the common case, none, costs nothing more). */
  static applies(plan: ForwardPlan): boolean {
    const { rateLimit, authentication, maxBodyBytes } = plan.policy
    return rateLimit !== null || authentication !== null || maxBodyBytes !== null
  }

  async check(plan: ForwardPlan, headers: Headers, client: PolicyClient, requestId: string): Promise<PolicyOutcome> {
    const { rateLimit, authentication, maxBodyBytes } = plan.policy
    const log: LogFields = {}
    const refuse = (status: number, error: string, extra: [string, string][] = []): PolicyOutcome => ({
      allowed: false,
      response: errorResponse(status, error, requestId, [...extra, ...plan.responseHeaders]),
      log: { ...log, policy: error },
    })
    if (authentication !== null) {
      const decision = await authenticate(authentication, headers, this.jwt)
      if (!decision.ok) return refuse(decision.status, decision.error, decision.challenges.map((c) => ['www-authenticate', c]))
      log.authenticated = decision.by
      if (authentication.apiKey !== null) for (const target of [plan, ...plan.failover]) target.upstream.headers.delete(authentication.apiKey.header)
    }
    if (rateLimit !== null) {
      const limiter = client.rateLimitBinding ? createBindingRateLimiter(client.rateLimitBinding, this.memory, this.bindingFailed) : this.memory
      const decision = await limiter.take(rateLimit, await rateLimitClient(rateLimit, client.address, headers))
      if (!decision.allowed) {
        return refuse(429, `rate limit exceeded: ${rateLimit.requests} requests per ${rateLimit.periodSeconds} s; retry in ${decision.retryAfterSeconds} s`, [['retry-after', String(decision.retryAfterSeconds)]])
      }
    }
    if (maxBodyBytes !== null && declaresTooLarge(headers, maxBodyBytes)) return refuse(413, `the request body is larger than ${maxBodyBytes} bytes`)
    return { allowed: true, log }
  }

  private readonly bindingFailed = (error: unknown) =>
    this.options.logger.warn({ error: String(error) }, 'the rate-limit binding failed; this isolate counts in memory instead')
}
