// The controller image's program: one ESM file with every dependency inside, run by plain
// `node` (no npm install, no tsx in the image). esbuild turns CommonJS dependencies into
// `require` calls, which an ES module only has through createRequire.
import { build } from 'esbuild'
import { stat } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

export const CLI_ENTRY = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url))

const requireShim = "import { createRequire as __edgeIngressCreateRequire } from 'node:module'; const require = __edgeIngressCreateRequire(import.meta.url);"

export async function bundleController(outfile: string): Promise<{ outfile: string; bytes: number }> {
  await build({
    entryPoints: [CLI_ENTRY],
    bundle: true,
    outfile,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    // Readable class and function names in stack traces and logs.
    keepNames: true,
    legalComments: 'none',
    logLevel: 'warning',
    banner: { js: requireShim },
  })
  return { outfile, bytes: (await stat(outfile)).size }
}
