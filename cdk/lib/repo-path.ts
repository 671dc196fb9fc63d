// Absolute path of a file in this repository, wherever the app is run from.
import { fileURLToPath } from 'node:url'

export function repoPath(relative: string): string {
  return fileURLToPath(new URL(`../../${relative}`, import.meta.url))
}
