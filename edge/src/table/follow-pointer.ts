// Object stores (S3, Workers KV) hold a small pointer at the configured key and the table
// under an immutable key per revision (route-table/store-layout.ts). This reads through the
// pointer; a whole table stored at the key (published by hand) is returned as it is.
import { readPointer } from '../route-table/store-layout'

/** The table text; throws when the pointer is malformed or names a table that is not there. */
export async function followPointer(text: string, pointerKey: string, readKey: (key: string) => Promise<string | null>): Promise<{ text: string; revision: string | null }> {
  const read = readPointer(text, pointerKey)
  if (read.kind === 'table') return { text, revision: null }
  if (read.kind === 'invalid') throw new Error(`${pointerKey}: ${read.message}`)
  const table = await readKey(read.pointer.key)
  if (table === null) throw new Error(`${pointerKey} names ${read.pointer.key}, which does not exist`)
  return { text: table, revision: read.pointer.revision }
}
