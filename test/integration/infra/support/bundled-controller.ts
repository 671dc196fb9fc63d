// The controller as the image runs it: the esbuild bundle (npm run build) under plain node,
// with the Deployment's own arguments and its ConfigMap's environment, as its ServiceAccount.
// Only what a pod gets from the cluster is replaced: the kubeconfig (impersonating the
// ServiceAccount instead of a mounted token), the AWS endpoint (moto) and loopback ports.
import type { V1ConfigMap, V1Container, V1Deployment } from '@kubernetes/client-node'
import { join } from 'node:path'
import { startProcess, type ManagedProcess } from '../../../env/process'

export interface BundledControllerOptions {
  bundle: string
  deployment: V1Deployment
  config: V1ConfigMap
  kubeconfig: string
  awsEndpoint: string
  awsCredentials: { accessKeyId: string; secretAccessKey: string }
  metricsPort: number
  routeTablePort: number
  podName: string
  workDir: string
  /** Replaces ConfigMap values that differ in the test (the region moto pretends to be). */
  configOverrides?: Record<string, string>
}

export function controllerContainer(deployment: V1Deployment): V1Container {
  const container = deployment.spec?.template.spec?.containers.find((c) => c.name === 'controller')
  if (!container) throw new Error('the Deployment has no container named controller')
  return container
}

/** The values of a repeatable `--flag=value` argument of the container. */
export function argValues(container: V1Container, flag: string): string[] {
  return (container.args ?? []).filter((arg) => arg.startsWith(`${flag}=`)).map((arg) => arg.slice(flag.length + 1))
}

export function startBundledController(o: BundledControllerOptions): ManagedProcess {
  const container = controllerContainer(o.deployment)
  const namespace = o.deployment.metadata?.namespace ?? 'default'
  const env: Record<string, string> = {
    ...(o.config.data ?? {}),
    ...o.configOverrides,
    POD_NAMESPACE: namespace,
    POD_NAME: o.podName,
  }
  // Kubernetes expands $(VAR) in args from the container's environment.
  const args = (container.args ?? []).map((arg) => arg.replace(/\$\(([A-Z_][A-Z0-9_]*)\)/g, (whole, name: string) => env[name] ?? whole))
  return startProcess({
    name: `controller-${o.podName}`,
    command: process.execPath,
    args: [o.bundle, ...args, `--kubeconfig=${o.kubeconfig}`, `--aws-endpoint=${o.awsEndpoint}`, `--metrics-address=127.0.0.1:${o.metricsPort}`, `--route-table-address=127.0.0.1:${o.routeTablePort}`],
    workDir: o.workDir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: join(o.workDir, 'home'),
      ...env,
      AWS_ACCESS_KEY_ID: o.awsCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: o.awsCredentials.secretAccessKey,
    },
  })
}
