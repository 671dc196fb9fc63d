// Runs the leader election: campaigns every retry period, renews while leading, calls
// onStoppedLeading when renewals fail for longer than the renew deadline (the workers stop
// before the lease can expire), and hands the lease back on stop().
import type { LeaseStore } from '../ports/kubernetes'
import type { Logger } from '../observability/logger'
import type { LeaderMetrics } from '../observability/metrics'
import { errorMessage } from './errors'
import { decide, observe, released, type Observation } from './leader-election'

export interface LeaderElectorOptions {
  store: LeaseStore
  identity: string
  leaseDurationMs: number
  renewDeadlineMs: number
  retryPeriodMs: number
  onStartedLeading: () => Promise<void> | void
  /** `lost`: renewals failed past the renew deadline (another replica may lead soon); `shutdown`: stop() was called. */
  onStoppedLeading: (why: 'lost' | 'shutdown') => Promise<void> | void
  logger: Logger
  metrics: LeaderMetrics
}

export class LeaderElector {
  private leading = false
  private lastRenewMs = 0
  private observation: Observation | null = null
  private stopped = false
  private wake: (() => void) | null = null
  private loop: Promise<void> | null = null

  constructor(private readonly options: LeaderElectorOptions) {}

  get isLeader(): boolean {
    return this.leading
  }

  /** Null while healthy; a reason when leading but unable to renew for a whole lease duration. */
  liveness(): string | null {
    if (this.leading && Date.now() - this.lastRenewMs > this.options.leaseDurationMs) return `lease not renewed for ${Date.now() - this.lastRenewMs} ms`
    return null
  }

  start(): void {
    this.loop ??= this.run()
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.wake?.()
    await this.loop
    if (this.leading) {
      await this.setLeading(false, 'shutdown')
      await this.release()
    }
  }

  private async run(): Promise<void> {
    const { retryPeriodMs, renewDeadlineMs, logger } = this.options
    while (!this.stopped) {
      let ok = false
      try {
        ok = await this.tryAcquireOrRenew()
      } catch (error) {
        logger.warn({ err: errorMessage(error), identity: this.options.identity }, 'leader election: lease update failed')
      }
      if (this.stopped) break
      if (ok) {
        this.lastRenewMs = Date.now()
        if (!this.leading) await this.setLeading(true)
      } else if (this.leading && Date.now() - this.lastRenewMs > renewDeadlineMs) {
        logger.error({ identity: this.options.identity }, 'leader election: lost the lease; stopping work')
        await this.setLeading(false, 'lost')
      }
      await this.sleep(retryPeriodMs * (this.leading ? 1 : 1 + Math.random() * 0.2))
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { store, identity, leaseDurationMs, logger } = this.options
    const lease = await store.get()
    const now = Date.now()
    this.observation = observe(this.observation, lease, now)
    const decision = decide(lease, this.observation, identity, now, Math.ceil(leaseDurationMs / 1000))
    if (decision.kind === 'wait') {
      if (this.leading) logger.warn({ holder: decision.holder }, 'leader election: another replica holds the lease')
      return false
    }
    const stored = decision.kind === 'create' ? await store.create(decision.record) : await store.update(decision.record, decision.resourceVersion)
    this.observation = observe(this.observation, stored, Date.now())
    if (decision.kind === 'create' || decision.acquired) logger.info({ identity, transitions: stored.record.leaseTransitions }, 'leader election: acquired the lease')
    return true
  }

  private async setLeading(leading: boolean, why: 'lost' | 'shutdown' = 'shutdown'): Promise<void> {
    this.leading = leading
    this.options.metrics.isLeader.set(leading ? 1 : 0)
    this.options.metrics.transitions.inc()
    if (leading) await this.options.onStartedLeading()
    else await this.options.onStoppedLeading(why)
  }

  private async release(): Promise<void> {
    try {
      const lease = await this.options.store.get()
      if (lease?.record.holderIdentity !== this.options.identity) return
      await this.options.store.update(released(lease.record, Date.now()), lease.resourceVersion)
      this.options.logger.info({ identity: this.options.identity }, 'leader election: released the lease')
    } catch (error) {
      this.options.logger.warn({ err: errorMessage(error) }, 'leader election: could not release the lease; successors wait for it to expire')
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        resolve()
      }
      this.wake = done
    })
  }
}
