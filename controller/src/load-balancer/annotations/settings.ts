// What a Service's annotations configure, after parsing. null means "not set: use the
// default that depends on the Service" (e.g. the health check follows externalTrafficPolicy).
import type { Scheme, Tags } from '../../ports/elbv2'

export interface LoadBalancerSettings {
  scheme: Scheme
  subnets: string[] | null
  eipAllocations: string[] | null
  sslCertificates: string[]
  /** Port numbers or names that get TLS listeners; null = every TCP port. */
  sslPorts: string[] | null
  sslPolicy: string
  backendProtocol: 'tcp' | 'ssl'
  healthCheckProtocol: 'TCP' | 'HTTP' | 'HTTPS' | null
  healthCheckPort: string | null
  healthCheckPath: string | null
  healthCheckInterval: number | null
  healthCheckTimeout: number | null
  healthyThreshold: number | null
  unhealthyThreshold: number | null
  targetGroupAttributes: Record<string, string>
  proxyProtocol: boolean
  crossZone: boolean
  additionalTags: Tags
  targetNodeLabels: Record<string, string>
}

export const defaultSettings: LoadBalancerSettings = {
  scheme: 'internet-facing',
  subnets: null,
  eipAllocations: null,
  sslCertificates: [],
  sslPorts: null,
  sslPolicy: 'ELBSecurityPolicy-2016-08',
  backendProtocol: 'tcp',
  healthCheckProtocol: null,
  healthCheckPort: null,
  healthCheckPath: null,
  healthCheckInterval: null,
  healthCheckTimeout: null,
  healthyThreshold: null,
  unhealthyThreshold: null,
  targetGroupAttributes: {},
  proxyProtocol: false,
  crossZone: false,
  additionalTags: {},
  targetNodeLabels: {},
}
