// The `edge-ingress` command line (package.json bin); the commands are in ./program.ts.
import { buildProgram } from './program'

// The AWS SDK's supported opt-out of its multi-line NodeVersionSupportWarning on Node.js < 22
// (aws-sdk-js-v3#7983), set before any command loads the SDK; a value the user set wins
// (docs/cli.md, "Environment").
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

buildProgram().parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`edge-ingress: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 2
})
