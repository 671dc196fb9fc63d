import { describe, expect, it } from 'vitest'
import type { ForwardPlan } from '../dispatch/types'
import { exchange } from './exchange'
import { toUpstreamError, type Forwarder, type UpstreamCall } from './forwarder'
import { readRequestBody } from './request-body'

// In-memory forwarders: this tests the retry and deadline logic only; the real clients are
// tested over sockets in test/integration/edge.
function plan(o: Partial<ForwardPlan> = {}): ForwardPlan {
  return {
    kind: 'forward', routeId: 'r', route: null,
    backend: { gateway: 'gw', weight: 1, service: { namespace: 'n', name: 's', port: 80 }, filters: [] },
    gateway: { id: 'gw', cluster: 'c', address: '127.0.0.1', port: 1, protocol: 'http' },
    upstream: { method: 'GET', url: 'http://127.0.0.1:1/', host: 'h', path: '/', headers: new Headers() },
    responseHeaderModifiers: [], responseHeaders: [], mirrors: [],
    timeouts: { requestMs: 1000, backendMs: null }, retry: null, reason: '', ...o,
  }
}
const respondWith = (statuses: number[]): Forwarder & { calls: UpstreamCall[] } => {
  const calls: UpstreamCall[] = []
  return {
    calls,
    async forward(call) {
      calls.push(call)
      return { status: statuses[calls.length - 1] ?? 200, headers: new Headers(), body: new Response('x').body }
    },
  }
}
/** Never answers until aborted, like a gateway that accepted the connection and went silent. */
const silent: Forwarder = {
  forward: (call) => new Promise((_, reject) => call.signal.addEventListener('abort', () => reject(toUpstreamError(new Error('aborted'), call.signal)))),
}
const get = () => readRequestBody(new Request('http://e/'), true)

describe('exchange', () => {
  it('retries a GET on a listed status and returns the last answer', async () => {
    const f = respondWith([503, 503, 200])
    const r = await exchange(plan({ retry: { attempts: 3, onStatus: [503], backoffMs: 1 } }), await get(), f, null)
    expect(r.response.status).toBe(200)
    expect(r.attempts).toBe(3)
  })

  it('stops at the attempt limit and passes the last status on', async () => {
    const f = respondWith([503, 503, 503])
    const r = await exchange(plan({ retry: { attempts: 2, onStatus: [503], backoffMs: 1 } }), await get(), f, null)
    expect(r.response.status).toBe(503)
    expect(f.calls).toHaveLength(2)
  })

  it('never retries a streamed body', async () => {
    const request = new Request('http://e/', { method: 'PUT', body: new ReadableStream({ start: (c) => c.close() }), duplex: 'half' } as RequestInit)
    const body = await readRequestBody(request, true)
    expect(body.replayable).toBe(false)
    const f = respondWith([503, 200])
    const r = await exchange(plan({ retry: { attempts: 3, onStatus: [503], backoffMs: 1 } }), body, f, null)
    expect(r.response.status).toBe(503)
    expect(f.calls).toHaveLength(1)
  })

  it('replays a small buffered body on each attempt', async () => {
    const body = await readRequestBody(new Request('http://e/', { method: 'PUT', body: 'hello', headers: { 'content-length': '5' } }), true)
    const f = respondWith([503, 200])
    await exchange(plan({ retry: { attempts: 2, onStatus: [503], backoffMs: 1 } }), body, f, null)
    expect(f.calls.map((c) => new TextDecoder().decode(c.body as Uint8Array))).toEqual(['hello', 'hello'])
  })

  it('a silent gateway times out at the request deadline', async () => {
    await expect(exchange(plan({ timeouts: { requestMs: 30, backendMs: null } }), await get(), silent, null)).rejects.toMatchObject({ failure: 'timeout' })
  })

  it('a backend timeout is retried within the request deadline', async () => {
    let calls = 0
    const slowThenFast: Forwarder = {
      forward: (call) => (++calls === 1 ? silent.forward(call) : Promise.resolve({ status: 200, headers: new Headers(), body: null })),
    }
    const r = await exchange(plan({ timeouts: { requestMs: 2000, backendMs: 20 }, retry: { attempts: 2, onStatus: [], backoffMs: 1 } }), await get(), slowThenFast, null)
    expect(r.response.status).toBe(200)
    expect(r.attempts).toBe(2)
  })

  it('connect errors are retried for idempotent requests, then surface', async () => {
    const refusing: Forwarder = { forward: async (call) => { throw toUpstreamError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), call.signal) } }
    await expect(exchange(plan({ retry: { attempts: 2, onStatus: [], backoffMs: 1 } }), await get(), refusing, null)).rejects.toMatchObject({ failure: 'connect' })
  })
})
