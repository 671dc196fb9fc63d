// What the sandbox puts into its fresh cluster and moto, as an operator would with
// `kubectl apply -k` on EKS: the Gateway API CRDs, Nodes backed by instances in subnets tagged
// for the cluster's balancers, the install's RBAC and classes (infra/base without the workload:
// there is no kubelet, the controller runs beside it as a process), and the example manifests.
import type { KubernetesObject } from '@kubernetes/client-node'
import { join } from 'node:path'
import { createAwsClients, createKubeClients } from '../env/clients'
import type { EnvironmentInfo } from '../env/environment'
import { createNetwork, launchInstances } from '../env/fixtures/aws-network'
import { installGatewayApiCrds } from '../env/fixtures/gateway-api'
import { createNodeForInstance } from '../env/fixtures/nodes'
import { repoRoot } from '../env/paths'
import { readManifestDir, renderKustomization, serverSideApply } from '../integration/infra/support/manifests'

export const SANDBOX_CLUSTER = 'sandbox'
export const CONTROLLER_NAMESPACE = 'edge-ingress'
export const CONTROLLER_IDENTITY = `system:serviceaccount:${CONTROLLER_NAMESPACE}:edge-ingress-controller`

/** Objects of infra/base that describe pods; nothing runs them without a kubelet. */
const WORKLOAD_KINDS = new Set(['Deployment', 'PodDisruptionBudget', 'Service', 'ConfigMap'])

export async function prepareCluster(info: EnvironmentInfo, progress: (line: string) => void): Promise<{ nodes: number; examples: KubernetesObject[] }> {
  const kube = createKubeClients(info)
  const { ec2 } = createAwsClients(info)
  progress('installing the Gateway API CRDs')
  await installGatewayApiCrds(kube.kubeConfig)
  progress('creating 3 Nodes backed by moto EC2 instances in subnets tagged for the cluster')
  const network = await createNetwork(ec2, { zones: 3, tags: { 'kubernetes.io/role/elb': '1', [`kubernetes.io/cluster/${SANDBOX_CLUSTER}`]: 'owned' } })
  const instances = await launchInstances(ec2, network, { count: 3 })
  for (const instance of instances) await createNodeForInstance(kube.core, instance, info.region)
  progress('applying infra/base (RBAC, IngressClass, GatewayClass) and infra/examples')
  const base = (await renderKustomization(join(repoRoot, 'infra/base'))).filter((o) => !WORKLOAD_KINDS.has(o.kind ?? ''))
  await serverSideApply(kube.kubeConfig, base, 'edge-ingress-sandbox')
  const examples = await readManifestDir(join(repoRoot, 'infra/examples'))
  await serverSideApply(kube.kubeConfig, examples, 'edge-ingress-sandbox')
  return { nodes: instances.length, examples }
}
