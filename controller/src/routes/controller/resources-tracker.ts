// Which optional resources the route module reads, kept up to date: asked at start (retried
// with backoff while the API server cannot be reached, so the process never exits for it) and
// again every interval, so CRDs installed later (the Gateway API, EdgePolicy) are read without
// a restart. Resources only ever join: a CRD removed later takes its objects with it.
import type { Logger } from '../../observability/logger'
import type { ServedResources, ServedResourcesProbe } from '../../ports/served-resources'
import { backoffDelay } from '../../reconcile/backoff'
import { errorMessage } from '../../reconcile/errors'
import { servedRouteResources, type RouteResourceName } from './resources'

export interface ResourcesTrackerOptions {
  probe: ServedResourcesProbe
  intervalMs: number
  /** --api-key-secrets was given. */
  apiKeySecrets: boolean
  /** Called with the resources that became readable (at the first answer: all of them), before `discovered` turns true. */
  onServed: (added: RouteResourceName[]) => void
  logger: Logger
  /** Retry delays after failures (defaults: 0.5 s doubling to 30 s). */
  retry?: { baseMs: number; maxMs: number }
}

export class ResourcesTracker {
  private readonly known = new Set<RouteResourceName>()
  private answered = false
  private failures = 0
  private timer: NodeJS.Timeout | null = null
  private stopped = false
  private lastNotes = ''

  constructor(private readonly options: ResourcesTrackerOptions) {}

  /** True once the API server has answered once. */
  get discovered(): boolean {
    return this.answered
  }

  start(): void {
    this.stopped = false
    this.schedule(0)
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  private schedule(ms: number): void {
    if (this.stopped) return
    this.timer = setTimeout(() => void this.check(), ms)
    this.timer.unref()
  }

  private async check(): Promise<void> {
    const { probe, logger, intervalMs, apiKeySecrets } = this.options
    let served: ServedResources
    try {
      served = await probe.served()
    } catch (error) {
      const retryInMs = backoffDelay(this.failures++, this.options.retry ?? { baseMs: 500, maxMs: 30_000 })
      const what = this.answered ? 'could not re-check which resources the API server serves' : 'cannot reach the API server to discover the resources to route; not ready, retrying'
      logger.warn({ err: errorMessage(error), retryInMs, failures: this.failures }, what)
      return this.schedule(retryInMs)
    }
    if (this.stopped) return
    this.failures = 0
    const names = servedRouteResources(served.gatewayApi, { edgeIngressApi: served.edgeIngressReadable, secrets: served.apiKeySecrets })
    const added = names.filter((name) => !this.known.has(name))
    for (const name of added) this.known.add(name)
    if (added.length > 0) {
      if (this.answered) logger.info({ resources: added }, 'the API server now serves more resources to route; reading them')
      this.options.onServed(added)
    }
    this.logNotes(servedNotes(served, apiKeySecrets, intervalMs))
    this.answered = true
    this.schedule(intervalMs)
  }

  /** Logs what cannot be read, when it changes. */
  private logNotes(notes: { level: 'warn' | 'info'; msg: string }[]): void {
    const text = JSON.stringify(notes)
    if (text === this.lastNotes) return
    this.lastNotes = text
    for (const note of notes) this.options.logger[note.level](note.msg)
  }
}

/** What the route module cannot read, and what that means for users (pure). */
export function servedNotes(served: ServedResources, apiKeySecrets: boolean, intervalMs: number): { level: 'warn' | 'info'; msg: string }[] {
  const every = `checked again every ${Math.round(intervalMs / 1000)} s`
  const notes: { level: 'warn' | 'info'; msg: string }[] = []
  if (served.gatewayApi.size === 0) notes.push({ level: 'warn', msg: `the Gateway API (gateway.networking.k8s.io/v1) is not served: only Ingresses are routed until its CRDs are installed (${every})` })
  if (served.edgeIngressForbidden.length > 0)
    notes.push({ level: 'warn', msg: `not allowed to list ${served.edgeIngressForbidden.join(', ')}.edge-ingress.io (RBAC): routes naming EdgePolicies answer 500 (PolicyNotFound)` })
  else if (!served.edgeIngressReadable.has('edgepolicies'))
    notes.push({ level: 'info', msg: `the EdgePolicy CRD (infra/crds/) is not installed: routes naming EdgePolicies answer 500 (PolicyNotFound) (${every})` })
  if (apiKeySecrets && !served.apiKeySecrets) notes.push({ level: 'warn', msg: '--api-key-secrets: not allowed to list Secrets (RBAC): EdgePolicies with apiKey.secretRef answer 500 (PolicyNotFound)' })
  return notes
}
