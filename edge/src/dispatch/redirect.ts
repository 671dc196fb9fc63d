// Gateway API HTTPRequestRedirectFilter: the Location the edge answers with.
import type { Filter } from '../route-table/types'
import { modifyPath } from './path-modifier'
import type { Scheme } from './types'

type RedirectFilter = Extract<Filter, { type: 'RequestRedirect' }>

export interface RedirectRequest {
  scheme: Scheme
  /** Normalised host (lowercase, no port): "When empty, the hostname in the Host header is used". */
  host: string
  /** Listener port the client addressed. */
  port: number
  path: string
  search: string
}

const defaultPort: Record<Scheme, number> = { http: 80, https: 443 }

/**
 * Port rules from the spec: an explicit port wins; else a redirect scheme implies its
 * well-known port; else the listener port. The port is left out of Location when it is the
 * scheme's well-known one.
 */
export function redirectLocation(filter: RedirectFilter, request: RedirectRequest, matchedPrefix: string): string {
  const scheme = filter.scheme ?? request.scheme
  const port = filter.port ?? (filter.scheme !== null ? defaultPort[filter.scheme] : request.port)
  const host = filter.hostname ?? request.host
  const path = filter.path === null ? request.path : modifyPath(request.path, filter.path, matchedPrefix)
  const portPart = port === defaultPort[scheme] ? '' : `:${port}`
  return `${scheme}://${host}${portPart}${path}${request.search}`
}
