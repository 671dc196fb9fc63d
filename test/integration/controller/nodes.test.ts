// Targets follow the cluster's Nodes: joins and leaves, NotReady, cordons, exclusions and
// the cluster autoscaler's deletion taint; and when every node turns NotReady at once the
// registered targets stay (a kubelet or network outage must not drain every balancer).
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setNodeExcludedFromLoadBalancers, setNodeReady, setNodeToBeDeleted, setNodeUnschedulable } from '../../env/fixtures/nodes'
import { sharedEnvironment } from '../../env/shared-environment'
import { eventually } from '../edge/support/eventually'
import { clusterState, serviceState, type ClusterState } from './support/aws-state'
import { startInProcessController, type InProcessController } from './support/in-process'
import { createService, deleteServicesAndWait, readService, readyCondition, serviceEvents } from './support/services'
import { createWorld, deleteNode, instanceIds, type World } from './support/world'

const env = sharedEnvironment()
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
let world: World
let controller: InProcessController

const waitFor = <T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string) => eventually(probe, ok, what, 600, 50)
const stateOf = async () => serviceState(await clusterState(world.aws.elbv2, world.cluster), world.namespace, 'app')
/** Instance ids registered in each of the Service's target groups (they always agree). */
const registered = (state: ClusterState) => {
  const sets = state.targetGroups.map((g) => g.targets.map((t) => t.id).sort().join(','))
  return new Set(sets).size === 1 ? sets[0]!.split(',').filter(Boolean) : ['<target groups disagree>']
}
const targetsBecome = (ids: string[], what: string) => waitFor(stateOf, (s) => JSON.stringify(registered(s)) === JSON.stringify([...ids].sort()), what)
const idOf = (name: string) => world.nodes.find((n) => n.name === name)!.instance.instanceId
const events = () => serviceEvents(world.kube.events, world.namespace, 'app')

beforeAll(async () => {
  world = await createWorld(env, { prefix: 'l4-nodes', nodes: 3 })
  controller = startInProcessController(env, { cluster: world.cluster })
  await controller.started
  await createService(world.kube.core, world.namespace, 'app', {
    ports: [
      { name: 'http', port: 80, protocol: 'TCP' },
      { name: 'https', port: 443, protocol: 'TCP' },
    ],
  })
  await targetsBecome(instanceIds(world.nodes), 'the three nodes registered')
})

afterAll(async () => {
  // Services of our class left in the shared cluster would be adopted by every later controller.
  if (controller && world) await deleteServicesAndWait(world.kube.core, world.namespace)
  await controller?.stop()
  await world?.dispose()
})

describe('node changes', () => {
  it('a node that joins is registered in every target group', async () => {
    await world.addNode()
    await targetsBecome(instanceIds(world.nodes), 'the fourth node registered')
  })

  it('a node that leaves is deregistered', async () => {
    const leaving = world.nodes.at(-1)!
    await deleteNode(world.kube.core, world, leaving.name)
    await targetsBecome(instanceIds(world.nodes), `${leaving.name} deregistered`)
  })

  it('a NotReady node is deregistered and registered again once Ready', async () => {
    const [first] = world.nodes
    await setNodeReady(world.kube.core, first!.name, false)
    await targetsBecome(instanceIds(world.nodes.slice(1)), 'the NotReady node deregistered')
    await setNodeReady(world.kube.core, first!.name, true)
    await targetsBecome(instanceIds(world.nodes), 'the node registered again')
  })

  it('a cordoned node stays a target (as upstream since KEP-3458); the autoscaler deletion taint removes it', async () => {
    const node = world.nodes[1]!
    await setNodeUnschedulable(world.kube.core, node.name, true)
    // Another change that does reach the controller, so that the cordon is known to have been seen.
    await setNodeToBeDeleted(world.kube.core, world.nodes[2]!.name, true)
    await targetsBecome([idOf(world.nodes[0]!.name), idOf(node.name)], 'the to-be-deleted node deregistered, the cordoned one kept')
    const seen = await waitFor(events, (e) => e.some((x) => x.reason === 'SkippedNodes' && x.note.includes('to-be-deleted')), 'a SkippedNodes Event')
    expect(seen.find((x) => x.reason === 'SkippedNodes')?.note).toContain(`${world.nodes[2]!.name} (to-be-deleted)`)
    await setNodeToBeDeleted(world.kube.core, world.nodes[2]!.name, false)
    await setNodeUnschedulable(world.kube.core, node.name, false)
    await targetsBecome(instanceIds(world.nodes), 'all three registered again')
  })

  it('a node labelled exclude-from-external-load-balancers, or without a providerID, is skipped with an Event', async () => {
    const excluded = world.nodes[0]!
    await setNodeExcludedFromLoadBalancers(world.kube.core, excluded.name, true)
    const bare = await world.addNode({ withoutProviderId: true })
    await targetsBecome(instanceIds(world.nodes.filter((n) => n !== excluded && n !== bare)), 'the excluded node deregistered')
    const seen = await waitFor(events, (e) => e.some((x) => x.reason === 'SkippedNodes' && x.note.includes(bare.name)), 'a SkippedNodes Event naming both')
    const note = seen.filter((x) => x.reason === 'SkippedNodes').at(-1)!.note
    expect(note).toContain(`${excluded.name} (excluded-by-label)`)
    expect(note).toContain(`${bare.name} (no-provider-id)`)
    await setNodeExcludedFromLoadBalancers(world.kube.core, excluded.name, false)
    await deleteNode(world.kube.core, world, bare.name)
    await targetsBecome(instanceIds(world.nodes), 'back to the three nodes')
  })

  it('target-node-labels: only nodes with every listed label are targets of that Service', async () => {
    const [edgeNode] = world.nodes
    const labelNode = (value: string | null) => world.kube.core.patchNode({ name: edgeNode!.name, body: { metadata: { labels: { 'example.com/pool': value } } } }, mergePatch)
    await labelNode('edge')
    await createService(world.kube.core, world.namespace, 'picky', { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-target-node-labels': 'example.com/pool=edge' } })
    const picky = async () => serviceState(await clusterState(world.aws.elbv2, world.cluster), world.namespace, 'picky')
    await waitFor(picky, (s) => s.targetGroups[0]?.targets.map((t) => t.id).join() === edgeNode!.instance.instanceId, 'only the labelled node registered')
    expect(registered(await stateOf())).toEqual(instanceIds(world.nodes))
    await labelNode(null)
    await deleteServicesAndWait(world.kube.core, world.namespace, ['picky'])
  })

  it('when most nodes turn NotReady (here: all of them, one after another) the registered ones stay, with a Warning Event', async () => {
    const [first, second, third] = world.nodes as [World['nodes'][number], World['nodes'][number], World['nodes'][number]]
    // One node of three NotReady is a node problem: it is deregistered.
    await setNodeReady(world.kube.core, first.name, false)
    await targetsBecome([idOf(second.name), idOf(third.name)], 'the first NotReady node deregistered')
    // Then the others: most nodes NotReady is a cluster problem, and the registered targets stay.
    await setNodeReady(world.kube.core, second.name, false)
    await setNodeReady(world.kube.core, third.name, false)
    const seen = await waitFor(events, (e) => e.some((x) => x.reason === 'MostNodesNotReady' && x.note.startsWith('3 of 3')), 'a MostNodesNotReady Event for 3 of 3')
    expect(seen.find((x) => x.reason === 'MostNodesNotReady')?.type).toBe('Warning')
    expect(registered(await stateOf())).toEqual([idOf(second.name), idOf(third.name)].sort())
    expect(readyCondition(await readService(world.kube.core, world.namespace, 'app'))?.status).toBe('True')

    // Recovery: a node that is Ready again is registered while the others still are not, then all follow.
    await setNodeReady(world.kube.core, first.name, true)
    await targetsBecome(instanceIds(world.nodes), 'the Ready node registered, the NotReady ones kept')
    await setNodeReady(world.kube.core, second.name, true)
    await setNodeReady(world.kube.core, third.name, true)
    await setNodeReady(world.kube.core, first.name, false)
    await targetsBecome([idOf(second.name), idOf(third.name)], 'a single NotReady node deregistered again')
  })
})
