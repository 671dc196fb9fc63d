// EventSink on events.k8s.io/v1.
import { randomBytes } from 'node:crypto'
import { EventsV1Api, V1MicroTime, type KubeConfig } from '@kubernetes/client-node'
import type { EventRecord, EventSink } from '../../ports/kubernetes'
import { mapApiError } from './services'

export const REPORTING_CONTROLLER = 'edge-ingress.io/controller'

export class KubeEventSink implements EventSink {
  private readonly api: EventsV1Api

  constructor(
    kubeConfig: KubeConfig,
    private readonly instance: string,
  ) {
    this.api = kubeConfig.makeApiClient(EventsV1Api)
  }

  async create(event: EventRecord): Promise<void> {
    const namespace = event.regarding.namespace ?? 'default'
    try {
      await this.api.createNamespacedEvent({
        namespace,
        body: {
          // As client-go names them: <object>.<unique hex>. A generateName ending in '.' is refused.
          metadata: { name: `${event.regarding.name}.${uniqueSuffix()}` },
          // MicroTime: the API server refuses the millisecond form a plain Date serialises to.
          eventTime: new V1MicroTime(),
          reportingController: REPORTING_CONTROLLER,
          reportingInstance: this.instance.slice(0, 128),
          action: event.reason.slice(0, 128),
          reason: event.reason.slice(0, 128),
          note: event.message.length > 1000 ? `${event.message.slice(0, 997)}...` : event.message,
          type: event.type,
          regarding: event.regarding,
        },
      })
    } catch (error) {
      throw mapApiError(error, `create event ${event.reason} for ${namespace}/${event.regarding.name}`)
    }
  }
}

const uniqueSuffix = () => `${(BigInt(Date.now()) * 1_000_000n).toString(16)}${randomBytes(3).toString('hex')}`
