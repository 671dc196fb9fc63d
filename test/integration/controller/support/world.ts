// What an L4 controller test needs around it: a VPC whose subnets are tagged for the
// test's cluster (so the controller discovers them), moto instances with Ready Nodes
// pointing at them, and a namespace for the Services.
import type { CoreV1Api } from '@kubernetes/client-node'
import { createAwsClients, createKubeClients } from '../../../env/clients'
import type { EnvironmentInfo } from '../../../env/environment'
import { createNetwork, launchInstances, terminateInstances, type TestInstance, type TestNetwork } from '../../../env/fixtures/aws-network'
import { createTestNamespace, uniqueName } from '../../../env/fixtures/names'
import { createNodeForInstance, deleteNodes, type NodeOptions } from '../../../env/fixtures/nodes'

export interface World {
  cluster: string
  namespace: string
  network: TestNetwork
  kube: ReturnType<typeof createKubeClients>
  aws: ReturnType<typeof createAwsClients>
  /** One instance per Node created through addNode(). */
  nodes: { name: string; instance: TestInstance }[]
  addNode(options?: NodeOptions): Promise<{ name: string; instance: TestInstance }>
  dispose(): Promise<void>
}

export interface WorldOptions {
  prefix: string
  nodes?: number
  /** Tag the subnets for internal balancers too (kubernetes.io/role/internal-elb). */
  internalSubnets?: boolean
}

export async function createWorld(env: EnvironmentInfo, options: WorldOptions): Promise<World> {
  const kube = createKubeClients(env)
  const aws = createAwsClients(env)
  const cluster = uniqueName(options.prefix)
  const namespace = await createTestNamespace(kube.core, options.prefix)
  const network = await createNetwork(aws.ec2, {
    zones: 3,
    tags: {
      'kubernetes.io/role/elb': '1',
      ...(options.internalSubnets ? { 'kubernetes.io/role/internal-elb': '1' } : {}),
      [`kubernetes.io/cluster/${cluster}`]: 'owned',
    },
  })
  const nodes: World['nodes'] = []
  const instances: TestInstance[] = []
  const addNode = async (nodeOptions: NodeOptions = {}) => {
    const [instance] = await launchInstances(aws.ec2, network, { count: 1 })
    instances.push(instance!)
    const name = nodeOptions.name ?? uniqueName(`${options.prefix}-node`)
    await createNodeForInstance(kube.core, instance!, env.region, { ...nodeOptions, name })
    const node = { name, instance: instance! }
    nodes.push(node)
    return node
  }
  for (let i = 0; i < (options.nodes ?? 0); i++) await addNode()
  return {
    cluster,
    namespace,
    network,
    kube,
    aws,
    nodes,
    addNode,
    async dispose() {
      await deleteNodes(kube.core, nodes.map((n) => n.name))
      await terminateInstances(aws.ec2, instances)
    },
  }
}

export const instanceIds = (nodes: { instance: TestInstance }[]) => nodes.map((n) => n.instance.instanceId).sort()

export async function deleteNode(core: CoreV1Api, world: World, name: string): Promise<void> {
  await deleteNodes(core, [name])
  world.nodes.splice(world.nodes.findIndex((n) => n.name === name), 1)
}
