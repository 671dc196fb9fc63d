// Reconciles one Service into its NLB: read from the caches, build the desired model,
// read AWS (inventory + steady-state describes), plan, apply, record, report. A Service
// that is deleted or moved away is cleaned up behind the finalizer (cleanup.ts).
import type { NodeObject, ServiceObject } from '../ports/kubernetes-objects'
import { splitKey } from '../ports/kubernetes-objects'
import type { LoadBalancingApi } from '../ports/elbv2'
import type { ServiceWriter } from '../ports/kubernetes'
import type { Logger } from '../observability/logger'
import { errorMessage, RequeueAfter } from '../reconcile/errors'
import { annotationKeyOf, parseAnnotations } from './annotations/parse'
import { applyPlan, IN_USE_RETRY_MS } from './apply'
import { cleanupService } from './cleanup'
import { buildDesired } from './desired'
import { describeAction } from './describe-actions'
import type { ServiceFeedback } from './feedback'
import type { Inventory, OwnedResources } from './inventory'
import type { DesiredLoadBalancer } from './model'
import type { TargetSelection } from './node-targets'
import { adoptByName, ForeignResourceError, observe } from './observe'
import { deleteOrphan } from './orphans'
import { plan } from './plan'
import { disposition, FINALIZER, hasFinalizer, type SelectionOptions } from './selection'
import { ingressFor } from './status'
import { SubnetError, type SubnetResolver } from './subnets'

export interface ServiceReconcilerDeps {
  cluster: string
  selection: SelectionOptions
  dryRun: boolean
  services: { get(namespace: string, name: string): ServiceObject | undefined }
  nodes: { list(): readonly NodeObject[] }
  writer: ServiceWriter
  feedback: ServiceFeedback
  api: LoadBalancingApi
  subnets: SubnetResolver
  inventory: Inventory
  logger: Logger
  onOrphanDeleted?: () => void
}

export function createServiceReconciler(deps: ServiceReconcilerDeps): (key: string) => Promise<void> {
  return async (key) => {
    const { namespace, name } = splitKey(key)
    const service = deps.services.get(namespace, name)
    const what = service ? disposition(service, deps.selection) : 'orphan'
    if (what === 'ignore') return
    await deps.inventory.ensureFresh()
    if (!service) return deleteOrphan(deps, key)
    if (what === 'cleanup') return cleanupService(deps, service, key)
    return ensureService(deps, service, key)
  }
}

async function ensureService(deps: ServiceReconcilerDeps, service: ServiceObject, key: string): Promise<void> {
  const { feedback, logger } = deps
  const log = logger.child({ service: key })
  const { settings, errors } = parseAnnotations(service.metadata.annotations)
  if (errors.length > 0) {
    const message = errors.map((e) => `${e.key}: ${JSON.stringify(e.value)} ${e.message}`).join('; ')
    return reject(deps, service, 'InvalidAnnotation', message)
  }
  const built = buildDesired({ cluster: deps.cluster, service, settings, nodes: deps.nodes.list() })
  if (!built.ok) return reject(deps, service, 'InvalidService', built.problems.join('; '))
  const { desired, targets } = built

  let resourceVersion = service.metadata.resourceVersion ?? ''
  if (!deps.dryRun && !hasFinalizer(service)) {
    resourceVersion = await deps.writer.setFinalizers(desired.identity.namespace, desired.identity.name, [...(service.metadata.finalizers ?? []), FINALIZER], resourceVersion)
  }
  let owned: OwnedResources
  try {
    owned = await adoptByName(deps.api, deps.inventory.get(key), desired, key)
  } catch (error) {
    // Our deterministic name is taken by a resource that is not ours: changing it would be theft.
    if (error instanceof ForeignResourceError) return reject(deps, service, 'LoadBalancerNameTaken', error.message, resourceVersion)
    throw error
  }
  const observed = await observe(deps.api, owned, desired)
  const current = observed.loadBalancers.find((lb) => lb.name === desired.name) ?? observed.loadBalancers[0]

  let subnetIds: string[] | null = null
  const refusedSubnets: string[] = []
  if (!current || desired.subnets) {
    try {
      subnetIds = await deps.subnets.resolve(desired.subnets, desired.scheme)
    } catch (error) {
      if (!(error instanceof SubnetError)) throw error
      if (!current) {
        await reject(deps, service, 'SubnetsNotFound', error.message)
        throw error // retried with backoff: subnets may get tagged
      }
      refusedSubnets.push(`subnets annotation: ${error.message}`)
    }
  }

  // Elastic IPs go one per subnet at creation: with discovered subnets the counts can differ.
  if (!current && subnetIds && desired.eipAllocations && desired.eipAllocations.length !== subnetIds.length)
    return reject(
      deps,
      service,
      'InvalidAnnotation',
      `${annotationKeyOf('eipAllocations', service.metadata.annotations ?? {})}: needs one allocation per subnet (${subnetIds.length} subnets: ${subnetIds.join(', ')}; ${desired.eipAllocations.length} allocations)`,
    )

  const result = plan({ desired, observed, subnetIds })
  const refused = [...result.refused, ...refusedSubnets]
  if (deps.dryRun) {
    log.info({ dryRun: true, actions: result.actions.map(describeAction), refused }, result.actions.length > 0 ? 'dry run: would change AWS' : 'dry run: in sync')
    return
  }
  await reportTargets(deps, service, targets, result.keptTargets)
  if (refused.length > 0) await feedback.event(service, 'Warning', 'ImmutableChangeRefused', `${refused.join('; ')}; the existing load balancer keeps serving. Delete and recreate the Service to change these.`)

  if (result.actions.length > 0) {
    const steps = result.actions.map(describeAction)
    log.info({ actions: steps }, 'applying load balancer changes')
    await feedback.event(service, 'Normal', 'EnsuringLoadBalancer', `${steps.length} change(s): ${summarize(steps)}`)
    const applied = await applyPlan(deps.api, result.actions, observed.loadBalancers)
    await deps.inventory.reread(key, owned, applied.created, applied.deleted)
    if (applied.replacedListeners.length > 0)
      log.warn({ ports: applied.replacedListeners }, 'ELBv2 refused a listener protocol change in place; the listener was replaced')
    if (applied.retrySoon) throw new RequeueAfter(IN_USE_RETRY_MS, errorMessage(applied.error))
    if (applied.error) {
      const message = errorMessage(applied.error)
      await feedback.event(service, 'Warning', 'SyncLoadBalancerFailed', message)
      await feedback.setStatus(service, resourceVersion, { status: 'False', reason: 'AwsError', message })
      throw applied.error
    }
    await feedback.event(service, 'Normal', 'EnsuredLoadBalancer', `load balancer ${desired.name} is up to date`)
  }
  await writeReadyStatus(deps, service, key, desired, resourceVersion, refused)
}

async function writeReadyStatus(deps: ServiceReconcilerDeps, service: ServiceObject, key: string, desired: DesiredLoadBalancer, resourceVersion: string, refused: string[]) {
  const lb = deps.inventory.get(key).loadBalancers.find((l) => l.name === desired.name) ?? deps.inventory.get(key).loadBalancers[0]
  if (!lb) throw new Error(`load balancer ${desired.name} is not in the inventory after apply`)
  const state =
    refused.length > 0
      ? { status: 'False' as const, reason: 'ImmutableChangeRefused', message: refused.join('; ') }
      : { status: 'True' as const, reason: 'Provisioned', message: `load balancer ${desired.name} serves ${desired.listeners.length} port(s)` }
  await deps.feedback.setStatus(service, resourceVersion, state, ingressFor(lb.dnsName, desired.listeners))
}

async function reject(deps: ServiceReconcilerDeps, service: ServiceObject, reason: string, message: string, resourceVersion = service.metadata.resourceVersion ?? ''): Promise<void> {
  deps.logger.warn({ service: `${service.metadata.namespace}/${service.metadata.name}`, reason, message }, 'service not reconciled; AWS left unchanged')
  if (deps.dryRun) return
  await deps.feedback.event(service, 'Warning', reason, message)
  await deps.feedback.setStatus(service, resourceVersion, { status: 'False', reason, message })
}

async function reportTargets(deps: ServiceReconcilerDeps, service: ServiceObject, targets: TargetSelection, kept: boolean): Promise<void> {
  if (targets.skipped.length > 0) {
    const list = targets.skipped.map((s) => `${s.node} (${s.reason})`).join(', ')
    await deps.feedback.event(service, 'Normal', 'SkippedNodes', `not registered as targets: ${list}`)
  }
  if (kept)
    await deps.feedback.event(
      service,
      'Warning',
      'MostNodesNotReady',
      `${targets.notReady.length} of ${targets.notReady.length + targets.instanceIds.length} eligible nodes are not Ready (${targets.notReady.join(', ')}); registered targets stay until most nodes are Ready again`,
    )
}

const summarize = (steps: string[]) => (steps.length <= 4 ? steps.join('; ') : `${steps.slice(0, 4).join('; ')}; and ${steps.length - 4} more`)
