// moto in server mode on loopback: ELBv2, EC2, S3 (and the rest of AWS) behind one URL.
import { freePort, loopback } from '../ports'
import { startProcess, waitUntilReady, type ManagedProcess } from '../process'

export interface MotoServer {
  url: string
  process: ManagedProcess
}

export async function startMoto(binary: string, workDir: string): Promise<MotoServer> {
  const port = await freePort()
  const url = `http://${loopback}:${port}`
  const proc = startProcess({
    name: 'moto',
    command: binary,
    args: ['-H', loopback, '-p', String(port)],
    workDir,
    env: motoEnvironment(),
  })
  await waitUntilReady(proc, 'moto', async () => (await fetch(`${url}/moto-api/`)).ok, { timeoutMs: 60_000 })
  return { url, process: proc }
}

/** moto must never see the developer's real AWS identity, whatever the shell exports. */
function motoEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' }
  for (const name of ['AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE']) delete env[name]
  return env
}
