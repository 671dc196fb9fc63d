// The `edge-ingress` command line (package.json bin); the commands are in ./program.ts.
import { buildProgram } from './program'

buildProgram().parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`edge-ingress: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 2
})
