// Manifest text -> Kubernetes objects: multi-document YAML (JSON is YAML too), `List` kinds
// flattened, empty documents skipped. Pure; every problem names the file and the document
// (1-based, as editors count) instead of throwing.
import { parseAllDocuments } from 'yaml'

export interface ManifestProblem {
  file: string
  /** 1-based document index in a multi-document file. */
  document: number
  message: string
}

/** Where an object came from, for messages. */
export interface Sourced {
  object: Record<string, unknown>
  file: string
  document: number
}

export interface ParsedManifests {
  objects: Sourced[]
  problems: ManifestProblem[]
}

export function parseManifestText(text: string, file: string): ParsedManifests {
  const out: ParsedManifests = { objects: [], problems: [] }
  let documents: ReturnType<typeof parseAllDocuments>
  try {
    documents = parseAllDocuments(text, { prettyErrors: true })
  } catch (error) {
    out.problems.push({ file, document: 1, message: `cannot be parsed: ${error instanceof Error ? error.message : String(error)}` })
    return out
  }
  const list = Array.isArray(documents) ? documents : [documents]
  list.forEach((doc, i) => {
    const document = i + 1
    const error = doc.errors[0]
    if (error) {
      const where = error.linePos ? ` (line ${error.linePos[0].line}, column ${error.linePos[0].col})` : ''
      out.problems.push({ file, document, message: `invalid YAML${where}: ${error.message.split('\n')[0]}` })
      return
    }
    collect(doc.toJS({ maxAliasCount: 100 }), file, document, out)
  })
  return out
}

function collect(value: unknown, file: string, document: number, out: ParsedManifests): void {
  if (value === null || value === undefined) return
  if (typeof value !== 'object' || Array.isArray(value)) {
    out.problems.push({ file, document, message: 'not a Kubernetes object (expected a mapping with apiVersion and kind)' })
    return
  }
  const object = value as Record<string, unknown>
  if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items)) {
    for (const item of object.items) collect(item, file, document, out)
    return
  }
  out.objects.push({ object, file, document })
}
