// esbuild bundles of the edge for each runtime, optionally with a route table baked in (the
// "bundled snapshot" the Workers, Lambda and Lambda@Edge runtimes serve when no source is set).
import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'

export type BundledRuntime = 'cloudflare-workers' | 'aws-lambda' | 'lambda-edge'

export interface BundleOptions {
  runtime: BundledRuntime
  /** A route table (parsed JSON) to serve from the bundle; validated by the edge at load. */
  snapshot?: unknown
  minify?: boolean
  /** Write the bundle here instead of returning it only. */
  outfile?: string
}

export interface Bundle {
  code: string
  bytes: number
}

const entry = (runtime: BundledRuntime) => fileURLToPath(new URL(`../${runtime}.ts`, import.meta.url))

export async function bundleEdge(options: BundleOptions): Promise<Bundle> {
  const workers = options.runtime === 'cloudflare-workers'
  const result = await build({
    entryPoints: [entry(options.runtime)],
    bundle: true,
    write: options.outfile !== undefined,
    outfile: options.outfile ?? 'edge.js',
    minify: options.minify ?? true,
    legalComments: 'none',
    logLevel: 'silent',
    define: options.snapshot === undefined ? {} : { __EDGE_ROUTE_TABLE_SNAPSHOT__: JSON.stringify(options.snapshot) },
    ...(workers
      ? { platform: 'browser' as const, format: 'esm' as const, target: 'es2022', conditions: ['workerd', 'worker', 'browser'] }
      : // Lambda runs CommonJS handlers without a package.json; esbuild turns the ESM sources into CJS.
        { platform: 'node' as const, format: 'cjs' as const, target: 'node20' }),
  })
  const file = result.outputFiles?.[0]
  if (file) return { code: file.text, bytes: file.contents.byteLength }
  const { readFile } = await import('node:fs/promises')
  const code = await readFile(options.outfile!, 'utf8')
  return { code, bytes: Buffer.byteLength(code) }
}
