// The controller's route-table endpoint for edges that pull (docs/route-publishing.md):
//   GET /v1/route-table            200 with the table, ETag "<revision>"
//   If-None-Match: "<revision>"    304 when it is still current
//   ?wait=<seconds> (max 300)      with If-None-Match: held until a new revision is published
//                                  (200) or the wait runs out (304): a long-poll
//   no table yet                   503 with a JSON error (held likewise with ?wait)
// gzip when the client accepts it, compressed once per revision. It is a RouteTableStore:
// publishing wakes every held request. With tokens (--route-table-token-file) every request
// needs `Authorization: Bearer <token>`, else 401 with a JSON error (./bearer-token.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import type { RouteTable } from '../../../../edge/src/route-table/types'
import type { Logger } from '../../observability/logger'
import type { RouteTableStore } from '../../ports/route-table-store'
import { checkBearer, type BearerCheck } from './bearer-token'

export const ROUTE_TABLE_PATH = '/v1/route-table'
const MAX_WAIT_SECONDS = 300

export interface EndpointOptions {
  /** The accepted bearer tokens, asked per request (a token file read again now and then); none: no authentication. */
  tokens?: () => Promise<readonly string[]>
  /** Where refused requests are logged (without their token). */
  logger?: Logger
}

const REALM = 'Bearer realm="edge-ingress route table"'

interface Current {
  revision: string
  etag: string
  body: Buffer
  gzip: Buffer | null
}

export class RouteTableEndpoint implements RouteTableStore {
  readonly name: string
  private current: Current | null = null
  private readonly waiting = new Set<() => void>()
  private readonly server: Server

  private constructor(
    private readonly address: AddressInfo,
    server: Server,
    private readonly options: EndpointOptions,
  ) {
    this.server = server
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
    this.name = `http://${host}:${address.port}${ROUTE_TABLE_PATH}`
  }

  /** Listens on host:port (port 0: any free port). */
  static async start(host: string, port: number, options: EndpointOptions = {}): Promise<RouteTableEndpoint> {
    let endpoint: RouteTableEndpoint | null = null
    const server = createServer((req, res) => endpoint!.authorize(req, res))
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'EADDRINUSE' ? new Error(`--route-table-address ${host}:${port} is already in use`) : error),
      )
      server.listen(port, host, () => resolve())
    })
    endpoint = new RouteTableEndpoint(server.address() as AddressInfo, server, options)
    return endpoint
  }

  get port(): number {
    return this.address.port
  }

  get revision(): string | null {
    return this.current?.revision ?? null
  }

  async publish(table: RouteTable, body: string): Promise<void> {
    this.current = { revision: table.revision, etag: `"${table.revision}"`, body: Buffer.from(body), gzip: null }
    for (const wake of [...this.waiting]) wake()
  }

  async close(): Promise<void> {
    for (const wake of [...this.waiting]) wake()
    await new Promise<void>((resolve) => {
      this.server.closeAllConnections()
      this.server.close(() => resolve())
    })
  }

  private authorize(req: IncomingMessage, res: ServerResponse): void {
    const { tokens } = this.options
    if (!tokens) return this.handle(req, res)
    tokens().then(
      (accepted) => {
        const check = checkBearer(req.headers.authorization, accepted)
        if (check === 'ok') this.handle(req, res)
        else this.refuse(req, res, check)
      },
      () => json(res, 503, { error: 'the route-table tokens cannot be read' }, { 'retry-after': '5' }),
    )
  }

  private refuse(req: IncomingMessage, res: ServerResponse, check: Exclude<BearerCheck, 'ok'>): void {
    this.options.logger?.warn({ event: 'route-table-request-refused', remote: req.socket.remoteAddress ?? null, reason: check === 'missing' ? 'no bearer token' : 'wrong bearer token' }, 'route-table request refused')
    const error = check === 'missing' ? 'a bearer token is required: Authorization: Bearer <token>' : 'the bearer token is not accepted'
    json(res, 401, { error }, { 'www-authenticate': check === 'missing' ? REALM : `${REALM}, error="invalid_token"` })
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://endpoint')
    if (url.pathname !== ROUTE_TABLE_PATH) return json(res, 404, { error: `not found; the route table is at ${ROUTE_TABLE_PATH}` })
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'only GET and HEAD' }, { allow: 'GET, HEAD' })
    const wait = url.searchParams.get('wait')
    const waitSeconds = wait === null ? 0 : Number(wait)
    if (!Number.isFinite(waitSeconds) || waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
      return json(res, 400, { error: `wait must be a number of seconds from 0 to ${MAX_WAIT_SECONDS}` })
    }
    const stale = this.current !== null && !matches(req.headers['if-none-match'], this.current.etag)
    if (stale || waitSeconds === 0) return this.answer(req, res)
    // Long-poll: answer at the next publish, when the client goes away, or when the wait is over.
    const finish = () => {
      clearTimeout(timer)
      this.waiting.delete(finish)
      req.off('close', finish)
      if (!res.writableEnded && !res.destroyed) this.answer(req, res)
    }
    const timer = setTimeout(finish, waitSeconds * 1000)
    this.waiting.add(finish)
    req.once('close', finish)
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const current = this.current
    if (current === null) return json(res, 503, { error: 'no route table published yet' }, { 'retry-after': '1' })
    const headers = { etag: current.etag, 'cache-control': 'no-cache', 'x-route-table-revision': current.revision }
    if (matches(req.headers['if-none-match'], current.etag)) {
      res.writeHead(304, headers).end()
      return
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))
    if (gzip) current.gzip ??= gzipSync(current.body)
    const body = gzip ? current.gzip! : current.body
    res.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': body.length, vary: 'accept-encoding', ...(gzip ? { 'content-encoding': 'gzip' } : {}) })
    res.end(req.method === 'HEAD' ? undefined : body)
  }
}

/** If-None-Match: a list of entity tags, or `*` (weak comparison, as RFC 9110 asks for GET). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false
  return header.split(',').some((t) => {
    const tag = t.trim()
    return tag === '*' || tag.replace(/^W\//, '') === etag
  })
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers }).end(text)
}
