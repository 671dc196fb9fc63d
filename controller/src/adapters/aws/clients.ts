// The SDK clients, pointed at AWS or at an endpoint override (moto in tests). The SDK's own
// retries are off: AwsCaller retries throttling itself so that every attempt is counted.
import { EC2Client } from '@aws-sdk/client-ec2'
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import type { Logger } from '../../observability/logger'
import type { AwsMetrics } from '../../observability/metrics'
import { AwsCaller } from './aws-caller'
import { Ec2Adapter } from './ec2'
import { Elbv2Adapter } from './elbv2'
import { RateLimiter, type RateLimitTable } from './rate-limiter'

export interface AwsAdapterOptions {
  region: string
  endpoint?: string
  rateLimits?: RateLimitTable
  metrics: AwsMetrics
  logger: Logger
  retry?: { maxAttempts?: number; baseMs?: number; maxMs?: number }
}

export function createAwsAdapters(options: AwsAdapterOptions) {
  const config = { region: options.region, maxAttempts: 1, ...(options.endpoint ? { endpoint: options.endpoint } : {}) }
  const caller = new AwsCaller({ limiter: new RateLimiter(options.rateLimits), metrics: options.metrics, logger: options.logger, retry: options.retry ?? {} })
  const elbv2Client = new ElasticLoadBalancingV2Client(config)
  const ec2Client = new EC2Client(config)
  return {
    elbv2: new Elbv2Adapter(elbv2Client, caller),
    ec2: new Ec2Adapter(ec2Client, caller),
    /** Ends every call in progress and its retries (leadership lost, shutting down). */
    abortInFlight: (reason: string) => caller.abortInFlight(reason),
    destroy() {
      elbv2Client.destroy()
      ec2Client.destroy()
    },
  }
}
