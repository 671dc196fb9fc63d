// The real L4 controller inside the test process: the adapters, LoadBalancerModule and
// Manager that `edge-ingress controller` wires, against the test environment's
// kube-apiserver and moto (or a fault proxy in front of it). Logs are kept in memory and
// the Prometheus registry is readable, so tests can assert on both.
import { createAwsAdapters } from '../../../../controller/src/adapters/aws/clients'
import { KubeEventSink } from '../../../../controller/src/adapters/kubernetes/events'
import { KubeInformer } from '../../../../controller/src/adapters/kubernetes/informer'
import { KubeLeaseStore } from '../../../../controller/src/adapters/kubernetes/leases'
import { KubeServiceWriter } from '../../../../controller/src/adapters/kubernetes/services'
import { LoadBalancerModule } from '../../../../controller/src/load-balancer/module'
import { createMetrics, type Metrics } from '../../../../controller/src/observability/metrics'
import type { NodeObject, ServiceObject } from '../../../../controller/src/ports/kubernetes-objects'
import { EventRecorder } from '../../../../controller/src/reconcile/event-recorder'
import { Manager } from '../../../../controller/src/reconcile/manager'
import { createKubeConfig } from '../../../env/clients'
import type { EnvironmentInfo } from '../../../env/environment'
import { eventually } from '../../edge/support/eventually'
import { memoryLogger, type LogRecord } from '../../support/controller-logs'

export interface InProcessOptions {
  cluster: string
  /** Default: moto itself; pass a FaultProxy's URL to inject faults and count calls. */
  awsEndpoint?: string
  defaultLoadBalancerClass?: boolean
  dryRun?: boolean
  workers?: number
  /** Default 10 minutes: tests call resync() themselves. */
  resyncPeriodMs?: number
  /** Retries of throttled calls; the production default waits up to 10 s between attempts. */
  awsRetry?: { maxAttempts?: number; baseMs?: number; maxMs?: number }
  leaderElection?: { namespace: string; name: string; identity: string; leaseDurationMs: number }
}

export interface InProcessController {
  module: LoadBalancerModule
  manager: Manager
  metrics: Metrics
  logs: LogRecord[]
  /** Resolves once the caches synced and the modules run (as leader). */
  started: Promise<void>
  /** Graceful stop: modules, lease, informers, AWS clients. */
  stop(): Promise<void>
}

export function startInProcessController(env: EnvironmentInfo, options: InProcessOptions): InProcessController {
  // The SDK reads credentials from the environment, as it does for the CLI.
  process.env.AWS_ACCESS_KEY_ID ??= env.awsAccessKeyId
  process.env.AWS_SECRET_ACCESS_KEY ??= env.awsSecretAccessKey
  const { logger, logs } = memoryLogger()
  const metrics = createMetrics({ defaultMetrics: false })
  const kubeConfig = createKubeConfig(env)
  const services = new KubeInformer<ServiceObject>(kubeConfig, '/api/v1/services', logger)
  const nodes = new KubeInformer<NodeObject>(kubeConfig, '/api/v1/nodes', logger)
  const aws = createAwsAdapters({
    region: env.region,
    endpoint: options.awsEndpoint ?? env.motoUrl,
    metrics: metrics.aws,
    logger,
    ...(options.awsRetry ? { retry: options.awsRetry } : {}),
  })
  const identity = options.leaderElection?.identity ?? `test-${options.cluster}`
  const module = new LoadBalancerModule({
    cluster: options.cluster,
    selection: { defaultClass: options.defaultLoadBalancerClass ?? false },
    dryRun: options.dryRun ?? false,
    workers: options.workers ?? 4,
    resyncPeriodMs: options.resyncPeriodMs ?? 10 * 60_000,
    services,
    nodes,
    writer: new KubeServiceWriter(kubeConfig),
    events: new EventRecorder(new KubeEventSink(kubeConfig, identity), logger),
    elbv2: aws.elbv2,
    ec2: aws.ec2,
    logger,
    metrics,
  })
  const election = options.leaderElection
  const manager = new Manager({
    informers: [services, nodes],
    modules: [module],
    leaderElection: election
      ? {
          store: new KubeLeaseStore(kubeConfig, election.namespace, election.name),
          identity: election.identity,
          leaseDurationMs: election.leaseDurationMs,
          renewDeadlineMs: Math.round((election.leaseDurationMs * 2) / 3),
          retryPeriodMs: Math.max(200, Math.round((election.leaseDurationMs * 2) / 15)),
        }
      : null,
    logger,
    metrics: metrics.leader,
  })
  const stopSignal = new AbortController()
  const running = manager.run(stopSignal.signal)
  const started = eventually(async () => manager.isLeader && logs.some((l) => l.msg === 'module started'), Boolean, 'the controller to start', 1200, 25).then(() => undefined)
  return {
    module,
    manager,
    metrics,
    logs,
    started,
    async stop() {
      stopSignal.abort()
      await running
      aws.destroy()
    },
  }
}

/** AWS calls the controller made (every attempt), per `service:action`, from its own metrics. */
export async function awsCallCounts(metrics: Metrics, outcome?: 'success' | 'throttled' | 'error'): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const { labels, value } of (await metrics.aws.calls.get()).values) {
    if (outcome && labels.outcome !== outcome) continue
    const key = `${labels.service}:${labels.action}`
    counts[key] = (counts[key] ?? 0) + value
  }
  return counts
}

/** Reconciles finished so far, whatever their result. */
export async function reconcileCount(metrics: Metrics): Promise<number> {
  return (await metrics.controller.reconciles.get()).values.reduce((sum, v) => sum + v.value, 0)
}
