// The input of `routes explain` and `routes check`: manifest files (with the classes infra/
// installs assumed present), or a live cluster through --kubeconfig (exactly what the
// controller would compile there: its real classes, Services and their balancer addresses).
import { compileManifestFiles, type CompiledFiles } from '../../manifests/compile-files'
import { compileRoutes } from '../../routes/compile'

export interface CompileInputOptions {
  clusterName: string
  kubeconfig?: string
}

export async function compileInput(paths: readonly string[], options: CompileInputOptions): Promise<CompiledFiles> {
  if ((options.kubeconfig === undefined) === (paths.length === 0)) throw new Error('give either manifest files/directories or --kubeconfig <file> (a live cluster)')
  if (options.kubeconfig === undefined) return compileManifestFiles(paths, { clusterName: options.clusterName })
  const { loadKubeConfig } = await import('../../adapters/kubernetes/kubeconfig')
  const { listRouteObjects } = await import('../../adapters/kubernetes/route-objects')
  const { objects, notes } = await listRouteObjects(loadKubeConfig(options.kubeconfig))
  return { result: await compileRoutes(objects, { clusterName: options.clusterName }), problems: [], notes }
}
