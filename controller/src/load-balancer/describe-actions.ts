// One line per action, for logs, Events and --dry-run output.
import { refName, type Action } from './actions'

export function describeAction(action: Action): string {
  switch (action.type) {
    case 'createLoadBalancer':
      return `create load balancer ${action.name} (${action.scheme}, subnets ${action.subnetIds.join(',')}${action.eipAllocations ? `, EIPs ${action.eipAllocations.join(',')}` : ''})`
    case 'modifyLoadBalancerAttributes':
      return `set load balancer attributes ${formatMap(action.attributes)}`
    case 'addTags':
      return `tag ${refName(action.resource)} with ${formatMap(action.tags)}`
    case 'removeTags':
      return `untag ${refName(action.resource)}: ${action.keys.join(', ')}`
    case 'createTargetGroup':
      return `create target group ${action.name} (${action.protocol} node port ${action.port}, health ${action.healthCheck.protocol}:${action.healthCheck.port}${action.healthCheck.path ?? ''}, ${action.instanceIds.length} targets)`
    case 'modifyTargetGroupHealthCheck':
      return `set health check of ${action.name} to ${action.healthCheck.protocol}:${action.healthCheck.port}${action.healthCheck.path ?? ''} every ${action.healthCheck.intervalSeconds}s`
    case 'modifyTargetGroupAttributes':
      return `set attributes of ${action.name}: ${formatMap(action.attributes)}`
    case 'registerTargets':
      return `register ${action.instanceIds.join(', ')} in ${action.name}`
    case 'deregisterTargets':
      return `deregister ${action.targets.map((t) => t.id).join(', ')} from ${action.name}`
    case 'createListener':
      return `create listener ${action.protocol} :${action.port} -> ${refName(action.targetGroup)}`
    case 'modifyListener':
      return `modify listener :${action.port}: ${action.changes.join('; ')}`
    case 'addListenerCertificates':
      return `add certificates to listener :${action.port}: ${action.certificateArns.join(', ')}`
    case 'removeListenerCertificates':
      return `remove certificates from listener :${action.port}: ${action.certificateArns.join(', ')}`
    case 'deleteListener':
      return `delete listener :${action.port}`
    case 'deleteLoadBalancer':
      return `delete load balancer ${action.name}`
    case 'deleteTargetGroup':
      return `delete target group ${action.name}`
  }
}

const formatMap = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')

