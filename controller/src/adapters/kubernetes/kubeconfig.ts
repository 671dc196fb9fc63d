// Where the controller's Kubernetes credentials come from: --kubeconfig, else in-cluster
// (service account), else $KUBECONFIG / ~/.kube/config.
import { KubeConfig } from '@kubernetes/client-node'
import { existsSync } from 'node:fs'

export function loadKubeConfig(path?: string): KubeConfig {
  const kc = new KubeConfig()
  if (path) {
    if (!existsSync(path)) throw new Error(`--kubeconfig ${path}: no such file`)
    kc.loadFromFile(path)
  } else if (process.env.KUBERNETES_SERVICE_HOST) kc.loadFromCluster()
  else kc.loadFromDefault()
  if (!kc.getCurrentCluster()) throw new Error('no Kubernetes cluster configured: pass --kubeconfig or set KUBECONFIG')
  return kc
}
