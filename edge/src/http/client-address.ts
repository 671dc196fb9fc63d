// The client's address from a header that a trusted proxy in front of the edge sets, such as
// CloudFront-Viewer-Address (`198.51.100.10:46532`, `2001:db8::1:46532`): the port is dropped.
// Only used where the deployment guarantees that proxy is the sole way in (docs/api-gateway.md).

export function addressFromProxyHeader(value: string | null | undefined): string | null {
  const text = value?.split(',')[0]?.trim()
  if (!text) return null
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/i.exec(text)
  if (bracketed) return bracketed[1]!
  const ipv4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?::\d{1,5})?$/.exec(text)
  if (ipv4) return ipv4[1]!
  // IPv6 with a port: the port is the last group and the address keeps at least two colons.
  const ipv6 = /^([0-9a-f:.]*:[0-9a-f:.]*):(\d{1,5})$/i.exec(text)
  if (ipv6 && ipv6[1]!.split(':').length >= 3) return ipv6[1]!
  return /^[0-9a-f:.]+$/i.test(text) ? text : null
}
