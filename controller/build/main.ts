// `npm run build`: dist/controller.mjs, the file the Dockerfile copies into the image.
import { bundleController } from './bundle'

const outfile = process.argv[2] ?? 'dist/controller.mjs'
const { bytes } = await bundleController(outfile)
process.stdout.write(`built ${outfile} (${(bytes / 1024 / 1024).toFixed(1)} MiB); run it with: node ${outfile} --help\n`)
