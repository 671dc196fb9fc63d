// Resources tagged for this cluster and a Service that no longer exists (deleted while
// the controller was down, or its finalizer removed by hand) are deleted: the only way,
// besides the finalizer path, that this controller ever deletes a balancer. The Service's
// absence is confirmed with the API server, not only the cache.
import { splitKey } from '../ports/kubernetes-objects'
import { errorMessage, RequeueAfter } from '../reconcile/errors'
import { applyPlan, IN_USE_RETRY_MS } from './apply'
import { describeAction } from './describe-actions'
import { planDeletion } from './plan'
import type { ServiceReconcilerDeps } from './service-reconciler'

export async function deleteOrphan(deps: ServiceReconcilerDeps & { onOrphanDeleted?: () => void }, key: string): Promise<void> {
  const owned = deps.inventory.get(key)
  if (owned.loadBalancers.length === 0 && owned.targetGroups.length === 0) return
  const { namespace, name } = splitKey(key)
  if (await deps.writer.get(namespace, name)) return // the cache lags; the Service's own event will come
  const actions = planDeletion({ loadBalancers: owned.loadBalancers, listeners: [], targetGroups: owned.targetGroups.map((g) => ({ ...g, targets: null })), config: null })
  const log = deps.logger.child({ service: key })
  if (deps.dryRun) {
    log.info({ dryRun: true, actions: actions.map(describeAction) }, 'dry run: would delete orphaned load balancer resources')
    return
  }
  log.warn({ actions: actions.map(describeAction) }, 'deleting load balancer resources whose Service no longer exists')
  const applied = await applyPlan(deps.api, actions, owned.loadBalancers)
  await deps.inventory.reread(key, owned, applied.created, applied.deleted)
  if (applied.retrySoon) throw new RequeueAfter(IN_USE_RETRY_MS, errorMessage(applied.error))
  if (applied.error) {
    log.warn({ err: errorMessage(applied.error) }, 'orphan deletion incomplete; will retry')
    throw applied.error
  }
  deps.onOrphanDeleted?.()
}
