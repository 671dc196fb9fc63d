// Manifest files -> compile result, as the CLI (and `edge-ingress serve <files>`) uses it: load,
// note the objects the compiler does not read (with file and document), assume the classes
// infra/ installs, compile.
import { compileRoutes } from '../routes/compile'
import { withInstalledClasses } from '../routes/installed-classes'
import { compilerReads } from '../routes/model/inventory'
import type { CompileResult } from '../routes/results'
import { loadManifests } from './load'
import type { ManifestProblem } from './parse'

export interface CompiledFiles {
  result: CompileResult
  /** Unreadable files and unparsable documents: the input is not what the user meant. */
  problems: ManifestProblem[]
  /** Objects of kinds the compiler does not read, ignored. */
  notes: string[]
}

export interface CompileFilesOptions {
  clusterName: string
  /** Changes the objects before compiling (local mode gives Services placeholder balancers). */
  prepare?: (objects: Record<string, unknown>[]) => Record<string, unknown>[]
}

export async function compileManifestFiles(paths: readonly string[], options: CompileFilesOptions): Promise<CompiledFiles> {
  const loaded = await loadManifests(paths)
  const notes: string[] = []
  let objects: Record<string, unknown>[] = []
  for (const { object, file, document } of loaded.objects) {
    if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
      loaded.problems.push({ file, document, message: 'not a Kubernetes object: apiVersion and kind are required' })
    } else if (compilerReads(object.apiVersion, object.kind)) {
      objects.push(object)
    } else {
      const name = (object.metadata as { name?: unknown } | undefined)?.name
      notes.push(`${file} (document ${document}): ${object.apiVersion} ${object.kind}${typeof name === 'string' ? ` "${name}"` : ''} is not used by the route compiler; ignored`)
    }
  }
  if (options.prepare) objects = options.prepare(objects)
  const result = await compileRoutes(withInstalledClasses(objects), { clusterName: options.clusterName })
  return { result, problems: loaded.problems, notes }
}
