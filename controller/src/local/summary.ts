// What a local run prints once it serves: one line per route (host, match, where it goes) and
// one curl line per route that reaches it exactly as printed (checked with the edge's own
// matcher; a route no simple request can reach gets none). Pure.
import { buildMatcher } from '../../../edge/src/route-table/matcher'
import type { RouteMatcher } from '../../../edge/src/route-table/match-types'
import type { Filter, Route, RouteAction, RouteTable } from '../../../edge/src/route-table/types'
import { serviceKey } from './local-backends'

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`

/** A concrete host name for a host pattern (`*.example.com` -> `demo.example.com`). */
export function exampleHost(pattern: string): string {
  if (pattern === '*') return 'anything.example'
  return pattern.startsWith('*.') ? `demo.${pattern.slice(2)}` : pattern
}

function describeMatch(route: Route): string {
  const m = route.match
  const parts = [`${m.path.type === 'Exact' ? '=' : ''}${m.path.value}`]
  if (m.method) parts.push(m.method)
  for (const h of m.headers) parts.push(`${h.name}${h.type === 'Exact' ? ': ' : ' ~ '}${h.value}`)
  for (const q of m.query) parts.push(`?${q.name}${q.type === 'Exact' ? '=' : '~'}${q.value}`)
  return parts.join(' ')
}

function describeAction(action: RouteAction): string {
  const redirect = action.filters.find((f): f is Extract<Filter, { type: 'RequestRedirect' }> => f.type === 'RequestRedirect')
  if (redirect) {
    const to = [redirect.scheme && `${redirect.scheme}://`, redirect.hostname, redirect.port && `:${redirect.port}`].filter(Boolean).join('')
    return `${redirect.statusCode} redirect${to ? ` to ${to}` : ''}`
  }
  if (action.backends.length === 0) return '500 (no backend)'
  const total = action.backends.reduce((sum, b) => sum + b.weight, 0)
  return action.backends
    .map((b) => `${serviceKey(b.service)}${b.gateway === null ? ' (unresolved: 500)' : ''}${action.backends.length > 1 && total > 0 ? ` ${Math.round((b.weight / total) * 100)}%` : ''}`)
    .join(', ')
}

export interface ExampleRequest {
  method: string
  host: string
  /** The listener port, written into Host when it is not 80. */
  port: number
  path: string
  headers: [string, string][]
  query: [string, string][]
}

/** A request built from a route's own match; it may still belong to a route of higher precedence. */
export function exampleRequest(route: Route, hostPattern: string): ExampleRequest {
  const m = route.match
  const port = route.listenerPorts.length === 0 || route.listenerPorts.includes(80) ? 80 : route.listenerPorts[0]!
  return {
    method: m.method ?? 'GET',
    host: exampleHost(hostPattern),
    port,
    path: m.path.value,
    headers: m.headers.filter((h) => h.type === 'Exact').map((h) => [h.name, h.value]),
    query: m.query.filter((q) => q.type === 'Exact').map((q) => [q.name, q.value]),
  }
}

/** True when the edge's own matcher picks `route` for the example request. */
export function reaches(matcher: RouteMatcher, route: Route, request: ExampleRequest): boolean {
  const headers = new Headers(request.headers)
  const result = matcher.match({ host: request.host, port: request.port, path: request.path, method: request.method, headers, query: new URLSearchParams(request.query) })
  return result.kind === 'route' && result.route.id === route.id
}

export function curlLine(request: ExampleRequest, edgeUrl: string, showHeaders: boolean): string {
  const args = ['curl']
  if (showHeaders) args.push('-i')
  if (request.method !== 'GET') args.push('-X', request.method)
  args.push('-H', quote(`Host: ${request.host}${request.port === 80 ? '' : `:${request.port}`}`))
  for (const [name, value] of request.headers) args.push('-H', quote(`${name}: ${value}`))
  const query = request.query.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
  args.push(quote(`${edgeUrl}${request.path}${query.length ? `?${query.join('&')}` : ''}`))
  return args.join(' ')
}

export function routeSummary(table: RouteTable, edgeUrl: string): string[] {
  const lines: string[] = []
  const width = Math.max(0, ...table.hosts.map((h) => h.hostname.length))
  for (const host of table.hosts) {
    for (const route of host.routes) {
      const source = `${route.source.kind} ${route.source.namespace}/${route.source.name}`
      lines.push(`  ${host.hostname.padEnd(width)}  ${describeMatch(route).padEnd(24)} -> ${describeAction(route.action)}   (${source})`)
    }
  }
  if (table.fallback) lines.push(`  ${'(any other)'.padEnd(width)}  ${''.padEnd(24)} -> ${describeAction(table.fallback)}   (Ingress defaultBackend)`)
  lines.push('', 'Try:')
  const matcher = buildMatcher(table)
  for (const host of table.hosts) {
    for (const route of host.routes) {
      const request = exampleRequest(route, host.hostname)
      if (!reaches(matcher, route, request)) continue
      lines.push(`  ${curlLine(request, edgeUrl, route.action.filters.some((f) => f.type === 'RequestRedirect'))}`)
    }
  }
  return lines
}
