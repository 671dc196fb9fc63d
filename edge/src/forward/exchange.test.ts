import { describe, expect, it } from 'vitest'
import type { ForwardPlan, UpstreamTarget } from '../dispatch/types'
import { exchange } from './exchange'
import { toUpstreamError, type Forwarder, type UpstreamCall } from './forwarder'
import { RequestBodyTooLarge } from '../policy/body-limit'
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
    timeouts: { requestMs: 1000, backendMs: null }, retry: null, reason: '', failover: [], policy: { rateLimit: null, authentication: null, maxBodyBytes: null }, ...o,
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

  it("names the route's request timeout, not what was left of it when the attempt began", async () => {
    // The clock moves 7 ms between reading the deadline and starting the attempt.
    const clock = [0, 7]
    const now = () => clock.shift() ?? 7
    await expect(exchange(plan({ timeouts: { requestMs: 30, backendMs: null } }), await get(), silent, null, { now })).rejects.toMatchObject({
      failure: 'timeout',
      message: 'no answer from the gateway within 30 ms',
    })
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

describe("exchange: failover to the route's other gateways", () => {
  const target = (id: string): UpstreamTarget => ({
    backend: { gateway: id, weight: 1, service: { namespace: 'n', name: 's', port: 80 }, filters: [] },
    gateway: { id, cluster: id, address: '127.0.0.1', port: 1, protocol: 'http' },
    upstream: { method: 'GET', url: `http://${id}/`, host: 'h', path: '/', headers: new Headers({ 'x-target': id }) },
    responseHeaderModifiers: [],
  })
  /** Each gateway (by URL host) refuses, stays silent, resets, or answers 200. */
  const gateways = (behaviour: Record<string, 'refuse' | 'silent' | 'reset' | 'ok'>): Forwarder & { calls: string[] } => {
    const calls: string[] = []
    return {
      calls,
      forward(call) {
        const id = new URL(call.url).hostname
        calls.push(id)
        switch (behaviour[id]) {
          case 'refuse':
            return Promise.reject(toUpstreamError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), call.signal))
          case 'reset':
            return Promise.reject(toUpstreamError(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), call.signal))
          case 'silent':
            return silent.forward(call)
          default:
            return Promise.resolve({ status: 200, headers: new Headers(), body: null })
        }
      },
    }
  }
  const multi = (o: Partial<ForwardPlan> = {}) => plan({ ...target('a'), failover: [target('b'), target('c')], ...o })
  const body = (method: string) => readRequestBody(new Request('http://e/', { method, ...(method === 'GET' ? {} : { body: 'x', headers: { 'content-length': '1' } }) }), true)

  it("a refused gateway hands the request to the next one, with that target's own request", async () => {
    const f = gateways({ a: 'refuse', b: 'ok' })
    const failures: string[] = []
    const moves: string[] = []
    const r = await exchange(multi(), await body('GET'), f, null, { onFailure: (g, e) => failures.push(`${g}:${e.failure}`), onFailover: (from, to) => moves.push(`${from}->${to}`) })
    expect(r.response.status).toBe(200)
    expect(r.target.gateway.id).toBe('b')
    expect(r.attempts).toBe(2)
    expect(f.calls).toEqual(['a', 'b'])
    expect(failures).toEqual(['a:connect'])
    expect(moves).toEqual(['a->b'])
  })

  it('a refused connection moves even a POST (it never left the edge); a reset or a timeout moves only idempotent requests', async () => {
    expect((await exchange(multi({ upstream: { ...target('a').upstream, method: 'POST' } }), await body('POST'), gateways({ a: 'refuse', b: 'ok' }), null)).target.gateway.id).toBe('b')
    const reset = gateways({ a: 'reset', b: 'ok' })
    await expect(exchange(multi({ upstream: { ...target('a').upstream, method: 'POST' } }), await body('POST'), reset, null)).rejects.toMatchObject({ failure: 'failed', tried: [expect.objectContaining({ id: 'a' })] })
    expect(reset.calls).toEqual(['a'])
    expect((await exchange(multi(), await body('GET'), gateways({ a: 'reset', b: 'ok' }), null)).target.gateway.id).toBe('b')
  })

  it('a silent gateway gets half of the request deadline when another can take over', async () => {
    const started = performance.now()
    const r = await exchange(multi({ timeouts: { requestMs: 400, backendMs: null } }), await body('GET'), gateways({ a: 'silent', b: 'ok' }), null)
    expect(r.target.gateway.id).toBe('b')
    const elapsed = performance.now() - started
    expect(elapsed).toBeGreaterThanOrEqual(195)
    expect(elapsed).toBeLessThan(390)
  })

  it('skips ejected targets and fails with every gateway tried when none answers', async () => {
    const f = gateways({ a: 'refuse', b: 'ok', c: 'refuse' })
    const error = await exchange(multi(), await body('GET'), f, null, { isAvailable: (g) => g !== 'b' }).catch((e: unknown) => e)
    expect(f.calls).toEqual(['a', 'c'])
    expect(error).toMatchObject({ failure: 'connect', tried: [expect.objectContaining({ id: 'a' }), expect.objectContaining({ id: 'c' })] })
  })

  it('never moves a streamed body', async () => {
    const request = new Request('http://e/', { method: 'PUT', body: new ReadableStream({ start: (c) => c.close() }), duplex: 'half' } as RequestInit)
    const f = gateways({ a: 'refuse', b: 'ok' })
    await expect(exchange(multi(), await readRequestBody(request, true), f, null)).rejects.toMatchObject({ failure: 'connect' })
    expect(f.calls).toEqual(['a'])
  })
})

describe("exchange: failures that are not the gateway's", () => {
  const failing: Forwarder = {
    forward: async (call) => {
      const body = call.body instanceof ReadableStream ? call.body : null
      if (body) await new Response(body).arrayBuffer() // reads until the cap fails the stream
      throw toUpstreamError(new Error('socket closed'), call.signal)
    },
  }

  it('a body cut off at the route limit ends in RequestBodyTooLarge and ejects nothing', async () => {
    const stream = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new Uint8Array(20)), c.close()) })
    const body = await readRequestBody(new Request('http://e/', { method: 'POST', body: stream, duplex: 'half' } as RequestInit), false, 1024, 10)
    const failures: string[] = []
    const limited = plan({ policy: { rateLimit: null, authentication: null, maxBodyBytes: 10 } })
    await expect(exchange(limited, body, failing, null, { onFailure: (g) => failures.push(g) })).rejects.toBeInstanceOf(RequestBodyTooLarge)
    expect(failures).toEqual([])
  })

  it('a client that went away is not counted against the gateway', async () => {
    const client = new AbortController()
    client.abort()
    const failures: string[] = []
    await expect(exchange(plan(), await get(), failing, client.signal, { onFailure: (g) => failures.push(g) })).rejects.toMatchObject({ failure: 'failed' })
    expect(failures).toEqual([])
  })
})
