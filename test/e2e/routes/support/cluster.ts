// One "cluster" for the end-to-end tests: its apiserver (the shared one or a private one), a
// VPC with Nodes backed by moto instances so the L4 half can give Services their balancers,
// the Gateway API CRDs and our classes, a namespace, and local echo backends that Services
// are pointed at through the test-only address override.
import { createKubeClients } from '../../../env/clients'
import type { EnvironmentInfo } from '../../../env/environment'
import { installGatewayApiCrds } from '../../../env/fixtures/gateway-api'
import { createWorld, type World } from '../../../integration/controller/support/world'
import { startEchoServer, type EchoServer } from '../../../integration/edge/support/echo-server'
import { apply, installClasses } from '../../../integration/routes/support/objects'
import { TEST_ADDRESS_ANNOTATION } from '../../../../controller/src/routes/controller/test-address-override'

export interface E2eCluster {
  env: EnvironmentInfo
  world: World
  kube: World['kube']
  namespace: string
  echo: Record<string, EchoServer>
  /** A Service of our load-balancer class on the echo backend's port, routed to it through the override. */
  backendService(name: string): object
  dispose(): Promise<void>
}

export async function createE2eCluster(env: EnvironmentInfo, prefix: string, backends: string[]): Promise<E2eCluster> {
  const world = await createWorld(env, { prefix, nodes: 2 })
  const kube = createKubeClients(env)
  await installGatewayApiCrds(kube.kubeConfig)
  await installClasses(kube)
  const echo: Record<string, EchoServer> = {}
  for (const name of backends) echo[name] = await startEchoServer(`${prefix}-${name}`)
  const backendService = (name: string) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: world.namespace, name, annotations: { [TEST_ADDRESS_ANNOTATION]: '127.0.0.1' } },
    spec: {
      type: 'LoadBalancer',
      loadBalancerClass: 'edge-ingress.io/nlb',
      // The Service port is the echo backend's port: the edge reaches <override address>:<port>.
      ports: [{ name: 'http', port: echo[name]!.port, targetPort: 8080, protocol: 'TCP' }],
      selector: { app: name },
    },
  })
  return {
    env,
    world,
    kube,
    namespace: world.namespace,
    echo,
    backendService,
    async dispose() {
      for (const server of Object.values(echo)) await server.close().catch(() => undefined)
      await world.dispose()
    },
  }
}

export { apply }
