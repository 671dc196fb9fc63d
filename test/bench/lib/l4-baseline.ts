// The l4-controller benchmark's baseline: the ELBv2 calls of one Service made by hand with
// the SDK straight against moto (no controller, no proxy, no rate limit), medians of 10.
import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2'
import type { World } from '../../integration/controller/support/world'
import { median } from './stats'

export interface Baseline {
  createLoadBalancerMs: number
  /** CreateLoadBalancer + CreateTargetGroup + RegisterTargets + CreateListener + AddTags, in sequence. */
  chainMs: number
}

export async function measureBaseline(world: World, samples = 10): Promise<Baseline> {
  const { elbv2 } = world.aws
  const subnets = world.network.subnets.map((s) => s.subnetId)
  const creates: number[] = []
  const chains: number[] = []
  const cleanup: (() => Promise<unknown>)[] = []
  for (let i = 0; i < samples; i++) {
    const started = performance.now()
    const lb = (await elbv2.send(new CreateLoadBalancerCommand({ Name: `raw-${i}`, Type: 'network', Subnets: subnets, Tags: [{ Key: 'bench', Value: 'raw' }] }))).LoadBalancers![0]!
    creates.push(performance.now() - started)
    const tg = (await elbv2.send(new CreateTargetGroupCommand({ Name: `raw-${i}`, Protocol: 'TCP', Port: 30000 + i, VpcId: world.network.vpcId, Tags: [{ Key: 'bench', Value: 'raw' }] })))
      .TargetGroups![0]!
    await elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: world.nodes.map((n) => ({ Id: n.instance.instanceId })) }))
    await elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Port: 80, Protocol: 'TCP', DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] }))
    await elbv2.send(new AddTagsCommand({ ResourceArns: [lb.LoadBalancerArn!], Tags: [{ Key: 'done', Value: 'yes' }] }))
    chains.push(performance.now() - started)
    cleanup.push(() => elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn })))
    cleanup.push(() => elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn })))
  }
  for (const step of cleanup) await step()
  return { createLoadBalancerMs: median(creates), chainMs: median(chains) }
}
