// RouteTableSource on a local file (Node), e.g. what `edge-ingress controller --publish
// file:...` writes by atomic rename. The tag is the file's size and mtime; the directory is
// watched (a rename replaces the file's inode), with the follower's interval as a fallback.
import { watch } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { basename, dirname, resolve } from 'node:path'
import type { RouteTableSource, SourceRead } from '../table/route-table-source'

export function createFileRouteTableSource(path: string): RouteTableSource {
  const file = resolve(path)
  return {
    name: `file:${file}`,
    // Publishers replace the file by rename, never delete it: a deleted file is a withdrawn table.
    withdrawable: true,
    async read(previousTag: string | null, signal?: AbortSignal): Promise<SourceRead> {
      let tag: string
      try {
        const info = await stat(file)
        tag = `${info.size}-${info.mtimeMs}-${info.ino}`
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' }
        throw error
      }
      if (tag === previousTag) return { kind: 'unchanged' }
      return { kind: 'table', text: await readFile(file, { encoding: 'utf8', signal }), tag }
    },
    waitForChange(timeoutMs: number, signal: AbortSignal): Promise<void> {
      return new Promise((done) => {
        const watcher = watch(dirname(file), (_event, name) => (name === null || name === basename(file) ? finish() : undefined))
        const timer = setTimeout(finish, timeoutMs)
        signal.addEventListener('abort', finish, { once: true })
        function finish() {
          clearTimeout(timer)
          watcher.close()
          signal.removeEventListener('abort', finish)
          done()
        }
      })
    },
  }
}
