// Calls `onChange` (debounced) when any of the given files or directories changes. Files are
// watched through their directory, so a table replaced by rename (how publishers write
// atomically) is still seen.
import { watch, type FSWatcher } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename, dirname, resolve } from 'node:path'

export async function watchPaths(paths: string[], onChange: () => void, debounceMs = 150): Promise<() => void> {
  let timer: ReturnType<typeof setTimeout> | null = null
  const fire = () => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = null
      onChange()
    }, debounceMs)
  }
  const watchers: FSWatcher[] = []
  for (const path of paths.map((p) => resolve(p))) {
    if ((await stat(path)).isDirectory()) {
      watchers.push(watch(path, { recursive: true }, fire))
    } else {
      const name = basename(path)
      watchers.push(watch(dirname(path), (_event, file) => (file === null || file === name ? fire() : undefined)))
    }
  }
  return () => {
    if (timer) clearTimeout(timer)
    for (const w of watchers) w.close()
  }
}
