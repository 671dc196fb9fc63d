// Runs measureCompilePublish in a fresh process (argv: routes, runs) and prints the result as
// JSON: no heap left over from the rest of the benchmark.
import { measureCompilePublish } from './compile-publish'

const [routes, runs] = process.argv.slice(2).map(Number)
process.stdout.write(`${JSON.stringify(await measureCompilePublish(routes!, runs!))}\n`)
