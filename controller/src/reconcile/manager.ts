// Hosts the controller's modules (the L4 load-balancer reconciler, later the L7 route
// reconciler) in one process: starts the shared informers, waits for their caches, runs
// leader election, starts the modules while leading and stops them when leadership is
// lost or the process is told to stop.
import type { ObjectInformer } from '../ports/kubernetes'
import type { ObjectMeta } from '../ports/kubernetes-objects'
import type { Logger } from '../observability/logger'
import type { LeaderMetrics } from '../observability/metrics'
import { errorMessage } from './errors'
import { LeaderElector, type LeaderElectorOptions } from './leader-elector'

export interface ControllerModule {
  readonly name: string
  /** Called once this replica leads and every informer has synced. */
  start(): Promise<void>
  /** Stops taking work and waits for reconciles in progress. */
  stop(): Promise<void>
  /** Optional: called on every replica once the informers have synced, leader or not (read-only work). */
  follow?(): Promise<void>
  /** Optional: called once at shutdown, after stop(). */
  close?(): Promise<void>
}

export interface ManagerOptions {
  informers: ObjectInformer<{ metadata: ObjectMeta }>[]
  modules: ControllerModule[]
  /** null: no leader election (a single replica, or a test). */
  leaderElection: Omit<LeaderElectorOptions, 'onStartedLeading' | 'onStoppedLeading' | 'logger' | 'metrics'> | null
  logger: Logger
  metrics: LeaderMetrics
}

export class Manager {
  private elector: LeaderElector | null = null
  private modulesRunning = false

  constructor(private readonly options: ManagerOptions) {}

  /** For /readyz: null when every informer has synced. */
  readiness(): string | null {
    const pending = this.options.informers.filter((i) => !i.hasSynced()).map((i) => i.resource)
    return pending.length === 0 ? null : `caches not synced: ${pending.join(', ')}`
  }

  /** For /healthz. */
  liveness(): string | null {
    return this.elector?.liveness() ?? null
  }

  get isLeader(): boolean {
    return this.options.leaderElection === null ? this.modulesRunning : (this.elector?.isLeader ?? false)
  }

  /** Runs until `signal` aborts, then shuts down in order: modules, lease, informers. */
  async run(signal: AbortSignal): Promise<void> {
    const { informers, logger } = this.options
    await Promise.all(informers.map((i) => i.start()))
    while (this.readiness() !== null && !signal.aborted) await delay(100, signal)
    if (!signal.aborted) {
      logger.info({ informers: informers.map((i) => i.resource) }, 'caches synced')
      for (const module of this.options.modules) await module.follow?.()
      if (this.options.leaderElection) {
        this.elector = new LeaderElector({
          ...this.options.leaderElection,
          onStartedLeading: () => this.startModules(),
          onStoppedLeading: () => this.stopModules(),
          logger,
          metrics: this.options.metrics,
        })
        this.elector.start()
      } else {
        await this.startModules()
      }
      await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })))
    }
    logger.info('shutting down')
    if (this.elector) await this.elector.stop()
    else await this.stopModules()
    for (const module of this.options.modules) await module.close?.()
    await Promise.all(informers.map((i) => i.stop()))
  }

  private async startModules(): Promise<void> {
    this.modulesRunning = true
    for (const module of this.options.modules) {
      try {
        await module.start()
        this.options.logger.info({ module: module.name }, 'module started')
      } catch (error) {
        this.options.logger.error({ module: module.name, err: errorMessage(error) }, 'module failed to start')
      }
    }
  }

  private async stopModules(): Promise<void> {
    if (!this.modulesRunning) return
    this.modulesRunning = false
    await Promise.all(this.options.modules.map((m) => m.stop()))
    this.options.logger.info('modules stopped')
  }
}

const delay = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true })
  })
