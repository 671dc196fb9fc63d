// The informers a Manager runs. Informers can join after the start (a resource the API server
// began to serve, e.g. CRDs installed later): they are started at once, and the readiness of
// the process no longer waits for them (their module uses them once they have synced).
import type { ObjectInformer } from '../ports/kubernetes'
import type { ObjectMeta } from '../ports/kubernetes-objects'
import type { Logger } from '../observability/logger'
import { errorMessage } from './errors'

type AnyInformer = ObjectInformer<{ metadata: ObjectMeta }>

export class InformerSet {
  private readonly informers = new Map<string, AnyInformer>()
  private started = false
  private logger: Logger | null = null

  constructor(initial: readonly AnyInformer[] = []) {
    for (const informer of initial) this.informers.set(informer.resource, informer)
  }

  /** Adds an informer (once per resource; returns the one already there); started now if the set runs. */
  add<T extends AnyInformer>(informer: T): T {
    const existing = this.informers.get(informer.resource)
    if (existing) return existing as T
    this.informers.set(informer.resource, informer)
    if (this.started) informer.start().catch((error: unknown) => this.logger?.warn({ resource: informer.resource, err: errorMessage(error) }, 'informer failed to start'))
    return informer
  }

  get(resource: string): AnyInformer | undefined {
    return this.informers.get(resource)
  }

  all(): AnyInformer[] {
    return [...this.informers.values()]
  }

  async start(logger: Logger): Promise<void> {
    this.logger = logger
    this.started = true
    await Promise.all(this.all().map((i) => i.start()))
  }

  async stop(): Promise<void> {
    this.started = false
    await Promise.all(this.all().map((i) => i.stop()))
  }
}
