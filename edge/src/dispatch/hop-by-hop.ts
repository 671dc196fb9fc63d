// Hop-by-hop headers (RFC 9110 7.6.1) belong to one connection and are never forwarded.
const alwaysHopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'])

/** True when the request asks for a WebSocket upgrade (the one upgrade the edge passes on). */
export function isWebSocketUpgrade(headers: Headers): boolean {
  return (
    (headers.get('upgrade') ?? '').toLowerCase() === 'websocket' &&
    (headers.get('connection') ?? '').toLowerCase().split(',').some((token) => token.trim() === 'upgrade')
  )
}

/**
 * Removes hop-by-hop headers in place: the fixed list, every `Proxy-*` header and every header
 * named in Connection. With `keepWebSocketUpgrade`, `Upgrade: websocket` and `Connection: upgrade`
 * stay so the gateway sees the upgrade.
 */
export function dropHopByHop(headers: Headers, keepWebSocketUpgrade = false): void {
  const websocket = keepWebSocketUpgrade && isWebSocketUpgrade(headers)
  const isHop = hopByHopFor(headers.get('connection'))
  const doomed: string[] = []
  for (const name of headers.keys()) if (isHop(name)) doomed.push(name)
  for (const name of doomed) headers.delete(name)
  if (websocket) {
    headers.set('upgrade', 'websocket')
    headers.set('connection', 'upgrade')
  }
}

/** Whether a (lowercase) header name is hop-by-hop in a message whose Connection header is `connection`. */
export function hopByHop(connection: string | null): (name: string) => boolean {
  const named = connection === null ? [] : connection.split(',').map((token) => token.trim().toLowerCase())
  return (name) => alwaysHopByHop.has(name) || name.startsWith('proxy-') || named.includes(name)
}

/** hopByHop for a message's Connection value, built once per distinct value (a few are common: keep-alive, close, none). */
export function hopByHopFor(connection: string | null): (name: string) => boolean {
  let isHop = seen.get(connection)
  if (isHop === undefined) {
    isHop = hopByHop(connection)
    // Bounded: a gateway that varies the value only costs the split again.
    if (seen.size < 32) seen.set(connection, isHop)
  }
  return isHop
}
const seen = new Map<string | null, (name: string) => boolean>()
