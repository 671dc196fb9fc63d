// An HTTP proxy in front of moto that injects AWS faults and counts calls.
// Point an SDK client's `endpoint` at `proxy.url`; everything else goes to moto unchanged.
//   proxy.throttle({ service: 'elbv2', fraction: 0.3 })       30% of ELBv2 calls throttled
//   proxy.failNth({ action: 'DeleteTargetGroup', nth: 1 })   the first DeleteTargetGroup fails
//   proxy.failNth({ action: 'CreateListener', nth: 1, when: 'hang' })   performed, never answered
//   proxy.count({ service: 'elbv2', mutating: true })         how many mutating ELBv2 calls came
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { renderError, type AwsErrorSpec } from './fault-proxy/aws-errors'
import { identifyCall, isMutating, type AwsCall } from './fault-proxy/aws-request'
import { FaultPlan, seededRandom, type NthCallFailure, type ThrottleRule } from './fault-proxy/fault-plan'
import { loopback } from './ports'

export type CallOutcome = 'forwarded' | 'throttled' | 'failed' | 'hung'

export interface CallRecord extends AwsCall {
  mutating: boolean
  outcome: CallOutcome
  /** For failed calls: whether AWS performed the call before the error was returned. */
  performed: boolean
  /** The form parameters of a query-protocol call (ELBv2, EC2), as sent: what moto may not keep. */
  parameters: Record<string, string>
}

export interface CallFilter {
  service?: string
  action?: string
  mutating?: boolean
  outcome?: CallOutcome
}

export interface FaultProxyOptions {
  /** Seed of the random source that picks throttled calls; fixed so runs repeat. */
  seed?: number
}

export class FaultProxy {
  private readonly plan = new FaultPlan()
  private readonly random: () => number
  private readonly agent = new Agent({ keepAlive: true })
  private records: CallRecord[] = []
  private received = new Map<string, number>()

  private constructor(
    private readonly server: Server,
    private readonly target: URL,
    options: FaultProxyOptions,
  ) {
    this.random = seededRandom(options.seed ?? 1)
    server.on('request', (req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' })
        res.end(`fault proxy: ${error instanceof Error ? error.message : String(error)}`)
      })
    })
  }

  static async start(targetUrl: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
    const server = createServer()
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, loopback, () => resolve())
    })
    return new FaultProxy(server, new URL(targetUrl), options)
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo
    return `http://${loopback}:${port}`
  }

  throttle(rule: ThrottleRule): void {
    this.plan.throttle(rule)
  }

  failNth(rule: NthCallFailure): void {
    this.plan.failNth(rule)
  }

  /** Stop injecting faults; counts are kept. */
  clearFaults(): void {
    this.plan.clear()
  }

  calls(filter: CallFilter = {}): CallRecord[] {
    return this.records.filter(
      (r) =>
        (filter.service === undefined || r.service === filter.service) &&
        (filter.action === undefined || r.action === filter.action) &&
        (filter.mutating === undefined || r.mutating === filter.mutating) &&
        (filter.outcome === undefined || r.outcome === filter.outcome),
    )
  }

  count(filter: CallFilter = {}): number {
    return this.calls(filter).length
  }

  /** Calls per `service:action`, every request received (throttled and retried ones too). */
  countsByAction(filter: CallFilter = {}): Record<string, number> {
    const counts: Record<string, number> = {}
    for (const r of this.calls(filter)) counts[`${r.service}:${r.action}`] = (counts[`${r.service}:${r.action}`] ?? 0) + 1
    return counts
  }

  /** Forget the calls so far (e.g. after a setup phase); nth-call rules count afresh. */
  resetCalls(): void {
    this.records = []
    this.received.clear()
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
    this.agent.destroy()
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req)
    const call = identifyCall(req.method ?? 'GET', req.url ?? '/', req.headers, body.toString('latin1'))
    const key = `${call.service}:${call.action}`
    const callNumber = (this.received.get(key) ?? 0) + 1
    this.received.set(key, callNumber)
    const decision = this.plan.decide(call, callNumber, this.random)
    const parameters = req.headers['content-type']?.startsWith('application/x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(body.toString('utf8'))) : {}
    const record = (outcome: CallOutcome, performed: boolean) => this.records.push({ ...call, mutating: isMutating(call.action), outcome, performed, parameters })
    if (decision.kind === 'throttle') {
      record('throttled', false)
      return sendError(res, call.service, decision.error)
    }
    if (decision.kind === 'fail' && decision.when === 'before') {
      record('failed', false)
      return sendError(res, call.service, decision.error)
    }
    const upstream = await this.forward(req, body)
    if (decision.kind === 'fail' && decision.when === 'hang') {
      // Performed by moto; the caller waits for an answer that never comes (close() ends it).
      upstream.resume()
      await new Promise((resolve) => upstream.once('end', resolve))
      record('hung', true)
      return
    }
    if (decision.kind === 'fail') {
      upstream.resume()
      await new Promise((resolve) => upstream.once('end', resolve))
      record('failed', true)
      return sendError(res, call.service, decision.error)
    }
    record('forwarded', true)
    res.writeHead(upstream.statusCode ?? 502, upstream.headers)
    upstream.pipe(res)
  }

  private forward(req: IncomingMessage, body: Buffer): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const upstream = request(
        {
          host: this.target.hostname,
          port: this.target.port,
          method: req.method,
          path: req.url,
          headers: forwardedHeaders(req, body),
          agent: this.agent,
        },
        resolve,
      )
      upstream.once('error', reject)
      upstream.end(body)
    })
  }
}

/** The body is buffered, so framing headers are ours to set; signatures do not cover them. */
function forwardedHeaders(req: IncomingMessage, body: Buffer): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !['transfer-encoding', 'expect', 'connection', 'content-length'].includes(name)) headers[name] = value
  }
  headers['content-length'] = String(body.length)
  return headers
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.once('end', () => resolve(Buffer.concat(chunks)))
    req.once('error', reject)
  })
}

function sendError(res: ServerResponse, service: string, error: AwsErrorSpec): void {
  const response = renderError(service, error)
  res.writeHead(response.status, { 'content-type': response.contentType, 'content-length': Buffer.byteLength(response.body) })
  res.end(response.body)
}
