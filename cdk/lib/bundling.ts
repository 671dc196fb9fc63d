// How the edge handlers are bundled: the local esbuild (no Docker), one ESM file
// with the AWS SDK inside so the deployed code is the tested code.
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs'

// esbuild turns CommonJS dependencies inside an ESM bundle into `require` calls,
// which Node's ESM scope lacks.
const REQUIRE_SHIM = "import { createRequire as edgeIngressCreateRequire } from 'node:module'; const require = edgeIngressCreateRequire(import.meta.url);"

export interface EdgeBundlingOptions {
  /**
   * Emit a source map; NodejsFunction then sets NODE_OPTIONS, an environment
   * variable Lambda@Edge refuses.
   * @default true
   */
  readonly sourceMap?: boolean
  /**
   * Compile-time constants (esbuild `define`), for runtimes without environment variables.
   * @default - none
   */
  readonly define?: Record<string, string>
}

export function esbuildOptions(options: EdgeBundlingOptions = {}): nodejs.BundlingOptions {
  return {
    forceDockerBundling: false,
    format: nodejs.OutputFormat.ESM,
    target: 'node24',
    mainFields: ['module', 'main'],
    banner: REQUIRE_SHIM,
    minify: true,
    logLevel: nodejs.LogLevel.WARNING,
    sourceMap: options.sourceMap ?? true,
    bundleAwsSDK: true,
    ...(options.define ? { define: options.define } : {}),
  }
}
