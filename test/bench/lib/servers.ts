// Processes a benchmark starts on loopback: nginx with a generated config, and any command
// that listens on a port. Each is stopped by its PID (SIGTERM, then SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process'
import { openSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { createServer, connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Started {
  pid: number
  port: number
  stop(): Promise<void>
}

export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

export async function workDir(name: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `edge-bench-${name}-`))
}

/** Resolves once something accepts connections on 127.0.0.1:port, or fails after `timeoutMs`. */
async function waitForPort(port: number, child: ChildProcess, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} before listening`)
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy()
        resolve(true)
      })
      socket.on('error', () => resolve(false))
    })
    if (open) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`${what} did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`)
}

/** Starts `command` with output to `<dir>/<name>.log` and waits until `port` accepts connections. */
export async function startListening(name: string, dir: string, command: string, args: string[], port: number): Promise<Started> {
  const log = openSync(join(dir, `${name}.log`), 'a')
  const child = spawn(command, args, { stdio: ['ignore', log, log] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }
  try {
    await waitForPort(port, child, name)
  } catch (error) {
    await stop()
    throw error
  }
  return { pid: child.pid!, port, stop }
}

/** nginx in the foreground with one worker and `http` as the body of its http block. */
export async function startNginx(name: string, nginx: string, dir: string, port: number, http: string): Promise<Started> {
  const conf = join(dir, `${name}.conf`)
  await writeFile(
    conf,
    `worker_processes 1;
daemon off;
pid ${dir}/${name}.pid;
error_log ${dir}/${name}.error.log warn;
events { worker_connections 8192; }
http {
  client_body_temp_path ${dir}/${name}-body;
  proxy_temp_path ${dir}/${name}-proxy;
  fastcgi_temp_path ${dir}/${name}-fastcgi;
  uwsgi_temp_path ${dir}/${name}-uwsgi;
  scgi_temp_path ${dir}/${name}-scgi;
  keepalive_requests 1000000;
${http}
}
`,
  )
  return startListening(name, dir, nginx, ['-p', dir, '-c', conf], port)
}
