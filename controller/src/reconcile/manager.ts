// Hosts the controller's modules (the L4 load-balancer reconciler and the L7 route module)
// in one process: starts the shared informers, waits for their caches (and for the modules'
// own readiness, e.g. discovery), runs leader election, starts the modules while leading and
// stops them when leadership is lost or the process is told to stop.
import type { ObjectInformer } from '../ports/kubernetes'
import type { ObjectMeta } from '../ports/kubernetes-objects'
import type { Logger } from '../observability/logger'
import type { LeaderMetrics } from '../observability/metrics'
import { errorMessage } from './errors'
import { InformerSet } from './informer-set'
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
  /** Optional: called once when the manager starts, before the caches are awaited (background work such as discovery). */
  init?(): void
  /** Optional: why this module is not ready to follow yet (null when ready); awaited with the caches. */
  readiness?(): string | null
}

export interface ManagerOptions {
  /** An InformerSet when informers may join later (discovered resources). */
  informers: InformerSet | readonly ObjectInformer<{ metadata: ObjectMeta }>[]
  modules: ControllerModule[]
  /** null: no leader election (a single replica, or a test). */
  leaderElection: Omit<LeaderElectorOptions, 'onStartedLeading' | 'onStoppedLeading' | 'logger' | 'metrics'> | null
  logger: Logger
  metrics: LeaderMetrics
  /**
   * Called when the modules have not stopped within the time left on the lost Lease (its
   * duration less the renew deadline and a retry period): the CLI exits, as controller-runtime
   * does, so that this replica's writes cannot overlap with the next leader's (ADR 0503).
   */
  onStopOverdue?: () => void
}

export class Manager {
  private elector: LeaderElector | null = null
  private modulesRunning = false
  private ready = false
  private readonly informers: InformerSet

  constructor(private readonly options: ManagerOptions) {
    this.informers = options.informers instanceof InformerSet ? options.informers : new InformerSet(options.informers)
  }

  /**
   * For /readyz: null once every module was ready and every informer had synced, together, once
   * (informers that join later do not make the process unready again).
   */
  readiness(): string | null {
    if (this.ready) return null
    const waiting = this.options.modules.map((m) => m.readiness?.() ?? null).filter((r): r is string => r !== null)
    const pending = this.informers.all().filter((i) => !i.hasSynced()).map((i) => i.resource)
    if (pending.length > 0) waiting.push(`caches not synced: ${pending.join(', ')}`)
    this.ready = waiting.length === 0
    return this.ready ? null : waiting.join('; ')
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
    const { logger } = this.options
    for (const module of this.options.modules) module.init?.()
    await this.informers.start(logger)
    while (this.readiness() !== null && !signal.aborted) await delay(100, signal)
    if (!signal.aborted) {
      logger.info({ informers: this.informers.all().map((i) => i.resource) }, 'caches synced')
      for (const module of this.options.modules) await module.follow?.()
      if (this.options.leaderElection) {
        this.elector = new LeaderElector({
          ...this.options.leaderElection,
          onStartedLeading: () => this.startModules(),
          onStoppedLeading: (why) => this.stopModules(why === 'lost' ? this.graceAfterLostLease() : undefined),
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
    await this.informers.stop()
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

  /** Stops the modules; with `withinMs`, calls onStopOverdue when they take longer. */
  private async stopModules(withinMs?: number): Promise<void> {
    if (!this.modulesRunning) return
    this.modulesRunning = false
    const started = Date.now()
    const stopped = Promise.all(this.options.modules.map((m) => m.stop()))
    if (withinMs !== undefined) {
      let timer: NodeJS.Timeout | undefined
      const inTime = await Promise.race([stopped.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), withinMs)))])
      clearTimeout(timer)
      if (!inTime) {
        this.options.logger.fatal({ withinMs }, 'modules did not stop before the lost lease can pass to another replica')
        this.options.onStopOverdue?.()
      }
    }
    await stopped
    this.options.logger.info({ ms: Date.now() - started }, 'modules stopped')
  }

  /** What is left of the lease once its loss is noticed: duration - renew deadline - one retry period (at least 500 ms). */
  private graceAfterLostLease(): number {
    const e = this.options.leaderElection!
    return Math.max(500, e.leaseDurationMs - e.renewDeadlineMs - e.retryPeriodMs)
  }
}

const delay = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true })
  })
