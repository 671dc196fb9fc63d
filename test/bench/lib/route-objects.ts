// Kubernetes objects for the propagation benchmark: one Gateway, two backend Services whose
// balancer is a local echo server, and HTTPRoutes of ten path rules each (ten routes per host),
// plus the `probe` route whose backend the benchmark flips.

export const BENCH_HOST_SUFFIX = 'bench.test'
export const PROBE_HOST = `probe.${BENCH_HOST_SUFFIX}`
const RULES_PER_ROUTE = 10

export function gatewayObject(namespace: string) {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { namespace, name: 'edge' },
    spec: { gatewayClassName: 'edge-ingress', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] },
  }
}

/** A Service whose L4 balancer is 127.0.0.1 (set in status) on `port`. */
export function backendService(namespace: string, name: string, port: number) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace, name },
    spec: { type: 'LoadBalancer', loadBalancerClass: 'example.com/not-ours', ports: [{ name: 'http', port, targetPort: 8080, protocol: 'TCP' }] },
    status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } },
  }
}

export function fillerRoutes(namespace: string, routes: number, backend: { name: string; port: number }) {
  return Array.from({ length: Math.ceil(routes / RULES_PER_ROUTE) }, (_, i) => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { namespace, name: `fill-${i}` },
    spec: {
      parentRefs: [{ name: 'edge' }],
      hostnames: [`h${i}.${BENCH_HOST_SUFFIX}`],
      rules: Array.from({ length: RULES_PER_ROUTE }, (_, j) => ({
        matches: [{ path: { type: 'PathPrefix', value: `/p${j}` } }],
        backendRefs: [{ name: backend.name, port: backend.port }],
      })),
    },
  }))
}

export function probeRoute(namespace: string, backend: { name: string; port: number }) {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { namespace, name: 'probe' },
    spec: { parentRefs: [{ name: 'edge' }], hostnames: [PROBE_HOST], rules: [{ backendRefs: [{ name: backend.name, port: backend.port }] }] },
  }
}
