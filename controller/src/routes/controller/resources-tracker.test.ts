import { describe, expect, it } from 'vitest'
import { createLogger } from '../../observability/logger'
import type { ServedResources } from '../../ports/served-resources'
import { ResourcesTracker } from './resources-tracker'
import type { RouteResourceName } from './resources'

const none: ServedResources = { gatewayApi: new Set(), edgeIngressReadable: new Set(), edgeIngressForbidden: [], apiKeySecrets: false }
const until = async (ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 5))
  expect(ok()).toBe(true)
}

describe('ResourcesTracker', () => {
  it('retries while the API server cannot be asked, then reports every resource once and later only the ones that joined', async () => {
    const answers: (ServedResources | Error)[] = [new Error('fetch failed'), new Error('fetch failed'), none, none, { ...none, gatewayApi: new Set(['gateways', 'gatewayclasses', 'httproutes']) }]
    const calls: RouteResourceName[][] = []
    const tracker = new ResourcesTracker({
      probe: { served: async () => { const next = answers.length > 1 ? answers.shift()! : answers[0]!; if (next instanceof Error) throw next; return next } },
      intervalMs: 5,
      apiKeySecrets: false,
      onServed: (added) => calls.push(added),
      logger: createLogger({ level: 'silent' }),
      retry: { baseMs: 1, maxMs: 2 },
    })
    tracker.start()
    expect(tracker.discovered).toBe(false)
    await until(() => calls.length === 2)
    tracker.stop()
    expect(tracker.discovered).toBe(true)
    expect(calls).toEqual([['ingresses', 'ingressClasses', 'services', 'namespaces'], ['gatewayClasses', 'gateways', 'httpRoutes']])
  })
})
