// A Service being deleted, or moved away from this controller, behind our finalizer:
// every balancer and target group tagged for it is deleted (found by tags, also after a
// partial earlier failure), then the status is cleared and the finalizer removed.
import type { ServiceObject } from '../ports/kubernetes-objects'
import { errorMessage, RequeueAfter } from '../reconcile/errors'
import { applyPlan, IN_USE_RETRY_MS } from './apply'
import { describeAction } from './describe-actions'
import { loadBalancerName } from './names'
import { planDeletion } from './plan'
import { FINALIZER } from './selection'
import type { ServiceReconcilerDeps } from './service-reconciler'
import { ownerKey } from './tags'

export async function cleanupService(deps: ServiceReconcilerDeps, service: ServiceObject, key: string): Promise<void> {
  const { api, inventory, feedback } = deps
  const namespace = service.metadata.namespace ?? ''
  const name = service.metadata.name
  const known = inventory.get(key)
  const owned = { loadBalancers: [...known.loadBalancers], targetGroups: [...known.targetGroups] }
  if (owned.loadBalancers.length === 0) {
    // Not in the inventory: look once by name in case it was created but never recorded.
    const lb = await api.findLoadBalancerByName(loadBalancerName({ cluster: deps.cluster, namespace, name }))
    const tags = lb ? ((await api.describeTags([lb.arn])).get(lb.arn) ?? {}) : {}
    if (lb && ownerKey(tags, deps.cluster) === key) owned.loadBalancers.push({ ...lb, tags })
  }
  const actions = planDeletion({ loadBalancers: owned.loadBalancers, listeners: [], targetGroups: owned.targetGroups.map((g) => ({ ...g, targets: null })), config: null })
  if (deps.dryRun) {
    deps.logger.info({ service: key, dryRun: true, actions: actions.map(describeAction) }, 'dry run: would delete the load balancer')
    return
  }
  if (actions.length > 0) {
    await feedback.event(service, 'Normal', 'DeletingLoadBalancer', actions.map(describeAction).join('; '))
    const applied = await applyPlan(api, actions, owned.loadBalancers)
    const left = await inventory.reread(key, owned, applied.created, applied.deleted)
    if (applied.retrySoon) throw new RequeueAfter(IN_USE_RETRY_MS, errorMessage(applied.error))
    if (applied.error) {
      await feedback.event(service, 'Warning', 'DeleteLoadBalancerFailed', errorMessage(applied.error))
      throw applied.error
    }
    if (left.loadBalancers.length + left.targetGroups.length > 0) throw new Error(`resources still tagged for ${key} after deletion`)
  }
  if (actions.length > 0) await feedback.event(service, 'Normal', 'DeletedLoadBalancer', `deleted ${actions.length} resource(s)`)
  let resourceVersion = service.metadata.resourceVersion ?? ''
  if (!service.metadata.deletionTimestamp) resourceVersion = await feedback.clearStatus(service, resourceVersion)
  await deps.writer.setFinalizers(namespace, name, (service.metadata.finalizers ?? []).filter((f) => f !== FINALIZER), resourceVersion)
  deps.logger.info({ service: key }, 'load balancer resources deleted; finalizer removed')
}
