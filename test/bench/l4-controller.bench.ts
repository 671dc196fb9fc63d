// L4 controller at scale (issue 3): N = 10, 100, 500 LoadBalancer Services (one TCP port
// each) against moto, each size in a test environment of its own (private kube-apiserver +
// etcd + moto), the real controller in process (real adapters, Manager wiring, default
// rate limits and 4 workers) talking to moto through the fault proxy, which counts every
// call by action. Measured: time from the first Service created to every status set; AWS
// calls per Service on creation, on a resync and on a restart after convergence.
// Baseline in the same environment: raw CreateLoadBalancer latency and the raw per-Service
// call chain (create balancer, target group, register, listener, tag) made by hand.
import { measureBaseline, type Baseline } from './lib/l4-baseline'
import { measureSize, type SizeResult } from './lib/l4-size'
import type { BenchContext, BenchResult, BenchGoal } from './lib/types'

export default async function l4ControllerBench(ctx: BenchContext): Promise<BenchResult> {
  const sizes = ctx.quick ? [10, 50] : [10, 100, 500]
  const metrics: Record<string, number | string> = {}
  const goals: BenchGoal[] = []
  let baseline: Baseline | null = null
  for (const n of sizes) {
    const row = await measureSize(ctx, n, baseline === null ? measureBaseline : null)
    baseline ??= row.baseline
    report(metrics, goals, row, baseline!)
  }
  if (baseline) {
    metrics['raw CreateLoadBalancer ms, median of 10 (baseline)'] = round(baseline.createLoadBalancerMs)
    metrics['raw per-Service chain ms, median of 10: CreateLoadBalancer + CreateTargetGroup + RegisterTargets + CreateListener + AddTags (baseline)'] = round(baseline.chainMs)
  }
  return {
    name: 'l4-controller',
    method:
      'For each N a private kube-apiserver + etcd + moto; 3 Ready Nodes backed by moto instances; the real L4 controller in process (real AWS and Kubernetes adapters, ' +
      'LoadBalancerModule under the Manager, default client-side rate limits: 5/s burst 10 per mutating action, 10/s burst 40 for Describe*; 4 workers) pointed at moto ' +
      'through the fault proxy, which counts every request by action. N Services (class edge-ingress.io/nlb, one TCP port) are created 20 at a time; convergence = first ' +
      'create to every status.loadBalancer.ingress set (Services listed every 250 ms). Calls are counted per phase until the work queue is idle (nothing queued, in ' +
      'progress or waiting for a retry): creation (including the reconciles its own status and finalizer writes trigger), one resync (module.resync(): discovery + ' +
      'a reconcile of every Service), a restart (a new controller instance: discovery + a reconcile of every Service). Describe budget = 2 per Service port + ceil(N/20) + 1. ' +
      'Baseline in the same run: the same calls made by hand with the SDK against moto.',
    metrics,
    goals,
  }
}

const round = (x: number) => Math.round(x * 100) / 100

function report(metrics: Record<string, number | string>, goals: BenchGoal[], r: SizeResult, baseline: Baseline): void {
  const n = r.services
  const at = `N=${n}`
  const budget = 2 * n + Math.ceil(n / 20) + 1
  metrics[`${at}: seconds to converge (first create -> every status set)`] = round(r.convergeMs / 1000)
  metrics[`${at}: Services per second`] = round(n / (r.convergeMs / 1000))
  metrics[`${at}: ratio converge time / (N x raw per-Service chain)`] = round(r.convergeMs / (n * baseline.chainMs))
  metrics[`${at}: reconciles in the resync / in the restart`] = `${r.calls.resync.reconciles} / ${r.calls.restart.reconciles}`
  for (const [phase, calls] of Object.entries(r.calls)) {
    metrics[`${at}: ${phase}: ELBv2 mutating calls (total)`] = calls.elbv2Mutating
    metrics[`${at}: ${phase}: ELBv2 describe calls (total)`] = calls.elbv2Reads
    metrics[`${at}: ${phase}: EC2 calls (total)`] = calls.ec2
    metrics[`${at}: ${phase}: ELBv2 calls per Service`] = round((calls.elbv2Mutating + calls.elbv2Reads) / n)
    metrics[`${at}: ${phase}: by action`] = Object.entries(calls.byAction)
      .map(([action, count]) => `${action}=${count}`)
      .join(' ')
  }
  metrics[`${at}: describe budget (2 per Service port + ceil(N/20) + 1)`] = budget
  metrics[`${at}: balancers / target groups / listeners in moto after convergence`] = `${r.inMoto.balancers} / ${r.inMoto.targetGroups} / ${r.inMoto.listeners}`
  goals.push(
    { description: `${at}: 0 mutating calls on a resync (measured ${r.calls.resync.elbv2Mutating})`, met: r.calls.resync.elbv2Mutating === 0 && r.calls.resync.ec2 === 0 },
    { description: `${at}: 0 mutating calls on a restart (measured ${r.calls.restart.elbv2Mutating})`, met: r.calls.restart.elbv2Mutating === 0 && r.calls.restart.ec2 === 0 },
    { description: `${at}: describe calls on a resync at most ${budget} (measured ${r.calls.resync.elbv2Reads})`, met: r.calls.resync.elbv2Reads <= budget },
    { description: `${at}: describe calls on a restart at most ${budget} (measured ${r.calls.restart.elbv2Reads})`, met: r.calls.restart.elbv2Reads <= budget },
    { description: `${at}: exactly one balancer, target group and listener per Service (measured ${r.inMoto.balancers} / ${r.inMoto.targetGroups} / ${r.inMoto.listeners})`, met: r.inMoto.balancers === n && r.inMoto.targetGroups === n && r.inMoto.listeners === n },
  )
  if (n === 100) goals.push({ description: `N=100 converges within 60 s (measured ${round(r.convergeMs / 1000)} s)`, met: r.convergeMs <= 60_000 })
}
