// The real `cdk synth` (aws-cdk CLI 2.1148.1, pinned) on this repository's cdk.json,
// offline: no AWS credentials, no instance metadata. It bundles the real edge handler,
// which must then run with plain node.
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const repo = new URL('../..', import.meta.url).pathname
const outdir = mkdtempSync(join(tmpdir(), 'edge-ingress-synth-'))
afterAll(() => rmSync(outdir, { recursive: true, force: true }))

function offlineEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', CDK_DISABLE_CLI_TELEMETRY: 'true' }
  for (const key of Object.keys(env).filter((k) => /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE)$|^CDK_DEFAULT_/.test(k))) delete env[key]
  return env
}

async function cdkSynth(context: Record<string, string>, out: string) {
  const args = ['cdk', 'synth', '--no-notices', '--quiet', '-o', out, ...Object.entries(context).flatMap(([k, v]) => ['-c', `${k}=${v}`])]
  return run('npx', args, { cwd: repo, env: offlineEnv(), maxBuffer: 16 * 1024 * 1024 })
}

describe('npx cdk synth', { timeout: 300_000 }, () => {
  it('synthesizes both stacks offline, with the AWS Solutions checks passing', async () => {
    await cdkSynth({ account: '123456789012', region: 'eu-west-1', clusterName: 'prod-eu' }, outdir)
    const files = readdirSync(outdir)
    expect(files).toEqual(expect.arrayContaining(['EdgeIngressEdge.template.json', 'EdgeIngressController-prod-eu.template.json']))
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: { conclusion: string }[] }
    expect(report.pluginReports.map((plugin) => plugin.conclusion)).not.toContain('failure')
    // The checks ran: their acknowledgements are written into the templates, each with its reason.
    const template = JSON.parse(readFileSync(join(outdir, 'EdgeIngressController-prod-eu.template.json'), 'utf8')) as { Resources: Record<string, { Metadata?: { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } } }> }
    const acknowledged = Object.values(template.Resources).flatMap((resource) => resource.Metadata?.cdk_nag?.rules_to_suppress ?? [])
    expect(acknowledged.map((rule) => rule.id)).toContain('AwsSolutions-IAM5[Resource::*]')
    for (const rule of acknowledged) expect(rule.reason.length).toBeGreaterThan(30)
  })

  it('bundles the real edge handler, which runs with plain node and answers a Function URL event', async () => {
    const bundle = readdirSync(outdir).filter((name) => name.startsWith('asset.')).map((name) => join(outdir, name, 'index.mjs'))
    expect(bundle).toHaveLength(1)
    const { handler } = await import(pathToFileURL(bundle[0]!).href) as { handler: (event: unknown) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }> }
    const response = await handler({
      version: '2.0', routeKey: '$default', rawPath: '/', rawQueryString: '', isBase64Encoded: false,
      headers: { host: 'abc.lambda-url.eu-west-1.on.aws', 'x-forwarded-host': 'shop.example.com' },
      requestContext: { domainName: 'abc.lambda-url.eu-west-1.on.aws', http: { method: 'GET', path: '/', protocol: 'HTTP/1.1', sourceIp: '130.176.1.1', userAgent: 'Amazon CloudFront' } },
    })
    // No table source in this process: the edge says so instead of forwarding anywhere.
    expect(response.statusCode).toBe(503)
    expect(response.headers['content-type']).toBe('application/json')
    expect(JSON.parse(response.body)).toMatchObject({ error: 'no route table loaded yet', status: 503 })
  })

  it('refuses bad context with a message naming each key', async () => {
    const failure = await cdkSynth({ account: '42', region: 'eu-west-1', clusterName: 'prod eu' }, join(outdir, 'bad')).then(() => null, (error: { stderr: string; code: number }) => error)
    expect(failure?.code).not.toBe(0)
    expect(failure?.stderr).toContain('account: must be a 12-digit AWS account id')
    expect(failure?.stderr).toContain('clusterName: must be an EKS cluster name')
    expect(failure?.stderr).toContain('docs/install-aws.md')
  })
})
