// Identity and description of a route match: two matches with equal keys select exactly the
// same requests (header and query entries are compared as sets).
import type { RouteMatch } from '../../../edge/src/route-table/types'
import { compareText } from './candidate'

export function matchKey(match: RouteMatch): string {
  const values = (list: RouteMatch['headers']) =>
    [...list].sort((a, b) => compareText(a.name, b.name)).map((v) => `${v.name}${v.type === 'Exact' ? '=' : '~'}${v.value}`)
  return JSON.stringify([match.path.type, match.path.value, match.method, values(match.headers), values(match.query)])
}

export function describeMatch(match: RouteMatch): string {
  const parts = [`${match.path.type} ${match.path.value}`]
  if (match.method !== null) parts.push(`method ${match.method}`)
  for (const h of match.headers) parts.push(`header ${h.name}${h.type === 'Exact' ? ': ' : ' ~ '}${h.value}`)
  for (const q of match.query) parts.push(`query ${q.name}${q.type === 'Exact' ? '=' : ' ~ '}${q.value}`)
  return parts.join(', ')
}

export const describePorts = (ports: readonly number[]): string => (ports.length === 0 ? 'any port' : `port ${ports.join(', ')}`)

/** The wildcard mode only matters for wildcard hostnames: for an exact name both modes select the same requests. */
export const hostKey = (hostname: string, wildcard: string): string => (hostname.startsWith('*.') ? `${hostname}|${wildcard}` : hostname)
