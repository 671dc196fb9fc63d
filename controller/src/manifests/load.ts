// Reads manifest files and directories (recursively: .yaml, .yml, .json, in name order so the
// result does not depend on the file system). A path given explicitly is read whatever its
// extension. Unreadable paths and unparsable documents are problems, never exceptions.
import { readdir, readFile, stat } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { parseManifestText, type ManifestProblem, type ParsedManifests } from './parse'

const EXTENSIONS = new Set(['.yaml', '.yml', '.json'])

export async function loadManifests(paths: readonly string[]): Promise<ParsedManifests> {
  const out: ParsedManifests = { objects: [], problems: [] }
  for (const path of paths) {
    for (const file of await filesUnder(path, out.problems)) {
      let text: string
      try {
        text = await readFile(file, 'utf8')
      } catch (error) {
        out.problems.push({ file, document: 0, message: `cannot be read: ${reason(error)}` })
        continue
      }
      const parsed = parseManifestText(text, file)
      out.objects.push(...parsed.objects)
      out.problems.push(...parsed.problems)
    }
  }
  return out
}

async function filesUnder(path: string, problems: ManifestProblem[]): Promise<string[]> {
  let info
  try {
    info = await stat(path)
  } catch (error) {
    problems.push({ file: path, document: 0, message: `cannot be read: ${reason(error)}` })
    return []
  }
  if (!info.isDirectory()) return [path]
  const files: string[] = []
  const entries = await readdir(path, { withFileTypes: true })
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = join(path, entry.name)
    if (entry.isDirectory()) files.push(...(await filesUnder(full, problems)))
    else if (EXTENSIONS.has(extname(entry.name).toLowerCase())) files.push(full)
  }
  return files
}

const reason = (error: unknown) =>
  error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'no such file or directory' : error instanceof Error ? error.message : String(error)
