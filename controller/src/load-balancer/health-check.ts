// The target groups' health check: annotations win; otherwise TCP on the traffic port,
// or HTTP /healthz on healthCheckNodePort when externalTrafficPolicy is Local (kube-proxy
// answers there only on nodes with a ready endpoint).
import type { HealthCheck } from '../ports/elbv2'
import type { LoadBalancerSettings } from './annotations/settings'

export function healthCheckFor(
  settings: LoadBalancerSettings,
  local: boolean,
  healthCheckNodePort: number | undefined,
): { healthCheck: HealthCheck } | { problem: string } {
  if (local && !healthCheckNodePort && settings.healthCheckPort === null)
    return { problem: 'externalTrafficPolicy Local without spec.healthCheckNodePort' }
  const protocol = settings.healthCheckProtocol ?? (local ? 'HTTP' : 'TCP')
  const http = protocol !== 'TCP'
  const port = settings.healthCheckPort ?? (local ? String(healthCheckNodePort) : 'traffic-port')
  const intervalSeconds = settings.healthCheckInterval ?? 10
  const timeoutSeconds = settings.healthCheckTimeout ?? Math.min(http ? 6 : 10, intervalSeconds)
  const threshold = local ? 2 : 3
  return {
    healthCheck: {
      protocol,
      port,
      path: http ? (settings.healthCheckPath ?? (local ? '/healthz' : '/')) : null,
      intervalSeconds,
      timeoutSeconds,
      healthyThreshold: settings.healthyThreshold ?? threshold,
      unhealthyThreshold: settings.unhealthyThreshold ?? threshold,
    },
  }
}
