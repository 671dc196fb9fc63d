// The edge's public address (flag --public-address), as the status of Ingresses
// (status.loadBalancer.ingress) and Gateways (status.addresses) reports it.
import { isDnsName, isIPv4, isIPv6 } from '../../../../edge/src/route-table/syntax'

export interface PublicAddress {
  /** Ingress status.loadBalancer.ingress[] entry. */
  ingress: { ip: string } | { hostname: string }
  /** Gateway status.addresses[] entry. */
  gateway: { type: 'IPAddress' | 'Hostname'; value: string }
}

export function parsePublicAddress(text: string): PublicAddress {
  const value = text.trim().toLowerCase().replace(/\.$/, '')
  if (isIPv4(value) || isIPv6(value)) return { ingress: { ip: value }, gateway: { type: 'IPAddress', value } }
  if (isDnsName(value)) {
    return { ingress: { hostname: value }, gateway: { type: 'Hostname', value } }
  }
  throw new Error(`--public-address: "${text}" is neither an IP address nor a DNS name`)
}
