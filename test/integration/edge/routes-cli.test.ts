// `edge-ingress routes explain` and the CLI's help, errors and exit codes, as a user runs them:
// the real CLI in a child process on manifest files. The output of explain is a contract
// (issue 2): one JSON object per request with exactly these keys, in this order.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../support/run-cli'

const manifests = fileURLToPath(new URL('./fixtures/explain-shop.yaml', import.meta.url))
const KEYS = ['status', 'backend', 'gateway', 'route', 'redirect', 'upstream', 'reason']
let dir: string


/** One explained request: exit code 0, one line of output, the contract's keys in order. */
async function explain(...args: string[]): Promise<Record<string, unknown>> {
  const { code, stdout, stderr } = await runCli(['routes', 'explain', manifests, ...args])
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
  const lines = stdout.trimEnd().split('\n')
  expect(lines).toHaveLength(1)
  const line = JSON.parse(lines[0]!) as Record<string, unknown>
  expect(Object.keys(line)).toEqual(KEYS)
  expect(line.reason).toEqual(expect.any(String))
  return line
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'edge-routes-cli-'))
})
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('routes explain --url', () => {
  it('a forwarded request: backend, gateway, route, and the upstream request (status and redirect null)', async () => {
    const line = await explain('--url', 'http://api.shop.test/v1/items?page=2')
    expect(line).toEqual({
      status: null,
      backend: { namespace: 'shop', name: 'api', port: 8080 },
      gateway: { address: '203.0.113.10', port: 8080 },
      route: { kind: 'HTTPRoute', namespace: 'shop', name: 'api', rule: 2 },
      redirect: null,
      upstream: {
        method: 'GET',
        host: 'api.shop.test',
        path: '/v1/items?page=2',
        headers: { host: 'api.shop.test', 'x-forwarded-host': 'api.shop.test', 'x-forwarded-proto': 'http', 'x-request-id': 'edge-ingress-explain' },
      },
      reason: expect.stringMatching(/HTTPRoute shop\/api rule 2 .*weighted backends \(shop\/api:8080 90\/100, shop\/api-canary:8080 10\/100\)/),
    })
  })

  it('-H picks the header-matched rule', async () => {
    const line = await explain('--url', 'http://api.shop.test/v1/items', '-H', 'X-Canary: on')
    expect(line).toMatchObject({ status: null, backend: { name: 'api-canary' }, route: { rule: 0 }, upstream: { headers: { 'x-canary': 'on' } } })
    expect(line.reason).toMatch(/header x-canary; it outranks 1 other matching route/)
  })

  it('--method picks the method-matched rule; upstream is after its filters (rewrite, added header, hop-by-hop dropped)', async () => {
    const line = await explain('--url', 'http://api.shop.test/v1/items?x=1', '--method', 'POST', '-H', 'Connection: keep-alive, x-secret', '-H', 'x-secret: 1', '-H', 'x-request-id: trace-42')
    expect(line).toEqual({
      status: null,
      backend: { namespace: 'shop', name: 'api', port: 8080 },
      gateway: { address: '203.0.113.10', port: 8080 },
      route: { kind: 'HTTPRoute', namespace: 'shop', name: 'api', rule: 1 },
      redirect: null,
      upstream: {
        method: 'POST',
        host: 'api.internal',
        path: '/v2/items?x=1',
        headers: { host: 'api.internal', 'x-forwarded-host': 'api.shop.test', 'x-forwarded-proto': 'http', 'x-request-id': 'trace-42', 'x-write': 'yes' },
      },
      reason: expect.stringMatching(/method POST/),
    })
  })

  it('a redirect: the status and the Location, no backend and no upstream', async () => {
    expect(await explain('--url', 'http://old.shop.test/a/b?c=1')).toEqual({
      status: 301,
      backend: null,
      gateway: null,
      route: { kind: 'HTTPRoute', namespace: 'shop', name: 'moved', rule: 0 },
      redirect: 'https://www.shop.test/a/b?c=1',
      upstream: null,
      reason: expect.stringMatching(/redirect 301$/),
    })
  })

  it('the URL port is the listener port: the 8080 listener serves admin.shop.test, port 80 does not', async () => {
    expect(await explain('--url', 'http://admin.shop.test:8080/x')).toMatchObject({ status: null, backend: { name: 'web', port: 80 }, gateway: { address: 'web-1234.elb.eu-west-1.amazonaws.com', port: 80 }, upstream: { host: 'admin.shop.test:8080' } })
    expect(await explain('--url', 'http://admin.shop.test/x')).toEqual({ status: 404, backend: null, gateway: null, route: null, redirect: null, upstream: null, reason: 'no virtual host matches host "admin.shop.test" on port 80' })
  })

  it('a matched rule whose Service has no balancer yet answers 500 and says why', async () => {
    const line = await explain('--url', 'http://www.shop.test/soon/x')
    expect(line).toMatchObject({ status: 500, backend: null, gateway: null, route: { kind: 'Ingress', namespace: 'shop', name: 'www', rule: 1 }, redirect: null, upstream: null })
    expect(line.reason).toMatch(/backend shop\/pending:80 is not resolved to a gateway$/)
  })

  it('a request the edge refuses (encoded NUL) answers 400 with the reason', async () => {
    expect(await explain('--url', 'http://www.shop.test/a%00')).toMatchObject({ status: 400, route: null, reason: expect.stringMatching(/^the edge refuses the request: invalid path/) })
  })
})

describe('routes explain --requests', () => {
  it('explains each JSON line in order; a bad line gets an error line with its number and exit code 1', async () => {
    const file = join(dir, 'requests.jsonl')
    await writeFile(
      file,
      [
        JSON.stringify({ url: 'http://api.shop.test/v1/a', method: 'POST' }),
        '{"url": "http://api.shop.test/v1/a", ',
        '',
        JSON.stringify({ url: 'http://api.shop.test/v1/b', headers: { 'x-canary': 'on' } }),
        JSON.stringify({ method: 'GET' }),
        JSON.stringify({ url: 'http://nobody.test/' }),
      ].join('\n') + '\n',
    )
    const { code, stdout, stderr } = await runCli(['routes', 'explain', manifests, '--requests', file])
    expect(code).toBe(1)
    expect(stderr).toBe('')
    const lines = stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines).toHaveLength(5)
    expect(lines[0]).toMatchObject({ status: null, route: { rule: 1 }, upstream: { method: 'POST', path: '/v2/a' } })
    expect(lines[1]).toEqual({ error: expect.stringMatching(/^not JSON/), line: 2 })
    expect(lines[2]).toMatchObject({ status: null, backend: { name: 'api-canary' }, route: { rule: 0 } })
    expect(lines[3]).toEqual({ error: 'expected {"url": "...", "method": "GET", "headers": {...}}', line: 5 })
    expect(lines[4]).toMatchObject({ status: 404, route: null })
    for (const i of [0, 2, 4]) expect(Object.keys(lines[i]!)).toEqual(KEYS)
  })
})

describe('help, errors and exit codes', () => {
  it('the top-level help lists the commands and the exit codes', async () => {
    const { code, stdout } = await runCli(['--help'])
    expect(code).toBe(0)
    for (const command of ['routes', 'serve', 'controller']) expect(stdout).toContain(command)
    expect(stdout).toMatch(/Exit codes: 0 done; 1 the input has errors .*\n.*; 2 usage or runtime error/)
  })

  it.each([
    [['routes', 'compile'], ['--output <file>', '--cluster-name <name>']],
    [['routes', 'explain'], ['--url <url>', '--method <method>', '-H, --header <header>', '--requests <file>']],
    [['routes', 'check'], ['--output <format>']],
    [['serve'], ['--routes <table.json>', '--port <port>', '--host <address>', '--admin-port <port>']],
  ])('%j --help describes its options', async (command, options) => {
    const { code, stdout } = await runCli([...command, '--help'])
    expect(code).toBe(0)
    for (const option of options) expect(stdout).toContain(option)
  })

  it.each([
    [['routes', 'explain', '--bogus'], "edge-ingress: unknown option '--bogus' (see --help)"],
    [['routes', 'explain', 'x.yaml'], 'edge-ingress: give either --url or --requests'],
    [['routes', 'explain', 'x.yaml', '--url', 'http://a/', '-H', 'no-colon'], `edge-ingress: -H "no-colon": expected 'Name: value'`],
    [['nope'], "edge-ingress: unknown command 'nope' (see --help)"],
    [['serve', '--port', 'x'], "edge-ingress: option '--port <port>' argument 'x' is invalid. not a port number (0-65535) (see --help)"],
  ])('%j: one line on stderr, exit code 2', async (args, message) => {
    const { code, stdout, stderr } = await runCli(args)
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: `${message}\n` })
  })

  it('an unreadable manifest is an input error: one line naming the file, exit code 1', async () => {
    const { code, stdout, stderr } = await runCli(['routes', 'explain', join(dir, 'missing.yaml'), '--url', 'http://a/'])
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' })
    expect(stderr).toBe(`error: ${join(dir, 'missing.yaml')}: cannot be read: no such file or directory\n`)
  })
})
