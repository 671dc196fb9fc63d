// The test-only address override (docs/route-publishing.md): with the controller flag
// --allow-test-address-override, a Service annotated `edge-ingress.io/test-balancer-address:
// <loopback ip>` is routed to that address instead of its balancer's, but only once its L4
// balancer exists (status.loadBalancer.ingress is set), so a test still waits for the real L4
// path. Only loopback addresses are honoured, and without the flag nothing is: a production
// controller never sends traffic where an annotation says.
import { isIPv4 } from '../../../../edge/src/route-table/syntax'

export const TEST_ADDRESS_ANNOTATION = 'edge-ingress.io/test-balancer-address'

export function withTestAddress(service: Record<string, unknown>): Record<string, unknown> {
  const metadata = service.metadata as { annotations?: Record<string, string> } | undefined
  const address = metadata?.annotations?.[TEST_ADDRESS_ANNOTATION]?.trim()
  if (!address || !isLoopback(address)) return service
  const status = service.status as { loadBalancer?: { ingress?: unknown[] } } | undefined
  if (!status?.loadBalancer?.ingress?.length) return service
  return { ...service, status: { ...status, loadBalancer: { ...status.loadBalancer, ingress: [{ ip: address }] } } }
}

const isLoopback = (address: string) => (isIPv4(address) && address.startsWith('127.')) || address === '::1'
