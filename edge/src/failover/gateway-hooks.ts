// Attempts to gateways feed the per-gateway metrics and the ejection state (failover); an
// ejection is logged once. Shared by the exchange and the Node fast path.
import type { ExchangeHooks } from '../forward/exchange'
import type { Logger } from '../observability/logger'
import type { EdgeMetrics } from '../observability/metrics'
import type { GatewayHealth } from './gateway-health'

export function gatewayHooks(health: GatewayHealth, metrics: EdgeMetrics, logger: Logger): ExchangeHooks {
  return {
    isAvailable: (gateway) => health.isAvailable(gateway),
    onAttempt(gateway, status, seconds) {
      metrics.upstream(gateway, status, seconds)
      if (status !== 0) health.answered(gateway)
    },
    onFailure(gateway, failure) {
      const ejected = health.failed(gateway)
      metrics.gatewayFailure?.(gateway, failure.failure, ejected)
      if (ejected) logger.warn({ gateway, failure: failure.failure, error: failure.message, coolDownMs: health.coolDownMs }, 'gateway ejected after a failure; other gateways of its routes take its traffic')
    },
    onFailover: (from, to) => metrics.failover?.(from, to),
  }
}
