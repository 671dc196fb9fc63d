// The endpoint with --route-table-token-file over real loopback sockets, read by the edge's own
// HTTP source: 401 JSON without the token or with a wrong one, the table with it, a rotated file
// followed without a restart, and no token in any log line.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpRouteTableSource } from '../../../../edge/src/adapters/http-route-table-source'
import { withRevision } from '../../../../edge/src/route-table/revision'
import { createLogger } from '../../observability/logger'
import { TokenFile } from '../fs/token-file'
import { RouteTableEndpoint, ROUTE_TABLE_PATH } from './route-table-endpoint'

const OLD = 'old-token-0123456789abcdef'
const NEW = 'new-token-fedcba9876543210'
let dir: string
let file: string
let endpoint: RouteTableEndpoint
const logs: string[] = []
const url = () => `http://127.0.0.1:${endpoint.port}${ROUTE_TABLE_PATH}`

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'route-table-token-'))
  file = join(dir, 'token')
  await writeFile(file, `${OLD}\n`)
  const tokens = await TokenFile.open(file, '--route-table-token-file', { refreshMs: 0 })
  const logger = createLogger({ destination: new Writable({ write: (chunk, _e, done) => (logs.push(String(chunk)), done()) }) })
  endpoint = await RouteTableEndpoint.start('127.0.0.1', 0, { tokens: () => tokens.tokens(), logger })
  const table = await withRevision({ schemaVersion: 1, gateways: {}, hosts: [{ hostname: 'a.example', routes: [] }], fallback: null })
  await endpoint.publish(table, JSON.stringify(table))
})
afterAll(async () => {
  await endpoint?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('RouteTableEndpoint with a token file', () => {
  it('answers 401 with a JSON error and WWW-Authenticate without a token or with a wrong one', async () => {
    const none = await fetch(url())
    expect(none.status).toBe(401)
    expect(none.headers.get('content-type')).toBe('application/json')
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="edge-ingress route table"')
    expect(await none.json()).toEqual({ error: 'a bearer token is required: Authorization: Bearer <token>' })
    const wrong = await fetch(url(), { headers: { authorization: `Bearer ${OLD}x` } })
    expect(wrong.status).toBe(401)
    expect(wrong.headers.get('www-authenticate')).toMatch(/error="invalid_token"/)
    expect(await wrong.json()).toEqual({ error: 'the bearer token is not accepted' })
    // Nothing about the table leaks: not even whether a long-poll would wait.
    expect((await fetch(`${url()}?wait=5`, { headers: { 'if-none-match': '"x"' } })).status).toBe(401)
  })

  it('serves the table to the edge source that sends the token, and refuses one without', async () => {
    const withToken = await createHttpRouteTableSource(url(), { waitSeconds: 0, token: OLD }).read(null)
    expect(withToken).toMatchObject({ kind: 'table' })
    await expect(createHttpRouteTableSource(url(), { waitSeconds: 0 }).read(null)).rejects.toThrow(/HTTP 401 \(the controller wants a bearer token\)/)
    await expect(createHttpRouteTableSource(url(), { waitSeconds: 0, token: NEW }).read(null)).rejects.toThrow(/HTTP 401 \(the token was refused\)/)
  })

  it('follows a rotated file: both tokens during the rotation, then only the new one', async () => {
    await writeFile(file, `${NEW}\n${OLD}\n`)
    for (const token of [NEW, OLD]) expect((await fetch(url(), { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
    await writeFile(file, `${NEW}\n`)
    expect((await fetch(url(), { headers: { authorization: `Bearer ${OLD}` } })).status).toBe(401)
    expect((await fetch(url(), { headers: { authorization: `bearer ${NEW}` } })).status).toBe(200)
  })

  it('keeps the last good tokens when the file turns bad', async () => {
    await writeFile(file, 'short\n')
    expect((await fetch(url(), { headers: { authorization: `Bearer ${NEW}` } })).status).toBe(200)
    await writeFile(file, `${NEW}\n`)
  })

  it('logs refused requests without any token', () => {
    const refused = logs.filter((line) => line.includes('route-table-request-refused'))
    expect(refused.length).toBeGreaterThanOrEqual(3)
    expect(refused[0]).toMatch(/"reason":"no bearer token"/)
    for (const line of logs) for (const token of [OLD, NEW]) expect(line).not.toContain(token)
  })
})
