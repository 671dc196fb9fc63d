// The `edge-ingress` commands and options. Option names here are a contract (README, issues,
// docs/configuration.md is generated from this program by ./doc.ts): each command's
// implementation lives in its own module under ./commands and is loaded only when that command
// runs, so `routes compile` never loads the AWS SDK.
import { Command, InvalidArgumentError, Option } from 'commander'

const collect = (value: string, previous: string[] = []) => [...previous, value]
const integer = (value: string) => {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('not a port number (0-65535)')
  return n
}

const seconds = (value: string) => {
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('not a number of seconds')
  return n
}

const EXIT_CODES = `
Exit codes: 0 done; 1 the input has errors (routes check found errors, a manifest or a
requests line could not be read); 2 usage or runtime error (bad option, port in use).
Reference with examples: docs/cli.md`

export function buildProgram(): Command {
  const program = new Command('edge-ingress')
    .description('One public entry for every HTTP service in a Kubernetes fleet')
    .addHelpText('after', EXIT_CODES)
    // Usage errors are one line on stderr and exit code 2; subcommands inherit this.
    .configureOutput({ outputError: (text, write) => write(`edge-ingress: ${text.replace(/^error: /, '').trimEnd()} (see --help)\n`) })
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))

  const routes = program.command('routes').description('Compile, explain and check route tables from Kubernetes manifests')

  routes
    .command('compile')
    .description('Compile Ingress / HTTPRoute manifests into a route table (JSON)')
    .argument('<paths...>', 'YAML or JSON files or directories (multi-document)')
    .option('-o, --output <file>', 'write the table to a file instead of stdout')
    .option('--cluster-name <name>', 'cluster name recorded in the table', 'default')
    .action(async (paths: string[], options) => (await import('./commands/routes-compile')).run(paths, options))

  routes
    .command('explain')
    .description('Show what the edge would do with a request: one JSON line per request')
    .argument('[paths...]', 'YAML or JSON files or directories (multi-document)')
    .option('--kubeconfig <file>', 'read the objects from a live cluster instead of files')
    .option('--url <url>', 'request URL; its port, when given, is the listener port')
    .option('--method <method>', 'request method', 'GET')
    .option('-H, --header <header>', "request header 'Name: value' (repeatable)", collect, [])
    .option('--requests <file>', 'JSON lines: {"url": "...", "method": "GET", "headers": {...}}')
    .option('--cluster-name <name>', 'cluster name recorded in the table', 'default')
    .action(async (paths: string[], options) => (await import('./commands/routes-explain')).run(paths, options))

  routes
    .command('check')
    .description('Validate manifests and report conflicts; exit code 1 on errors')
    .argument('[paths...]', 'YAML or JSON files or directories (multi-document)')
    .option('--kubeconfig <file>', 'read the objects from a live cluster instead of files')
    .option('--cluster-name <name>', 'cluster name recorded in the table', 'default')
    .addOption(new Option('--output <format>', 'human-readable lines or one JSON document').choices(['text', 'json']).default('text'))
    .action(async (paths: string[], options) => (await import('./commands/routes-check')).run(paths, options))

  program
    .command('serve')
    .description('Run the edge on Node; reloads the table when the files change')
    .argument('[paths...]', 'Kubernetes manifests to compile instead of --routes')
    .option('--routes <table.json>', 'a compiled route table')
    .option('--source <spec>', 'follow a published table: http(s)://<controller>/v1/route-table, s3://<bucket>/<key>, file:<path> (repeatable: one per cluster, merged)', collect)
    .option('--aws-endpoint <url>', 'S3 endpoint for s3:// sources, e.g. a moto server (default: $AWS_ENDPOINT_URL)')
    .option('--aws-region <region>', 'region of s3:// sources (default: $AWS_REGION, else us-east-1)')
    .addOption(new Option('--poll-interval <seconds>', 'seconds between reads of s3:// and file: sources').default(1).argParser(seconds))
    .addOption(new Option('--long-poll <seconds>', 'how long the controller may hold a request of an http source').default(30).argParser(seconds))
    .option('--source-token-file <file>', "bearer token that http(s) sources send (the controllers' --route-table-token-file); its first line, read again every few seconds")
    .addOption(new Option('--port <port>', 'public port').default(8080).argParser(integer))
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .addOption(new Option('--admin-port <port>', 'port for /metrics, /healthz, /readyz').default(9090).argParser(integer))
    .addOption(new Option('--gateway-cooldown <seconds>', 'seconds a gateway that gave no response is skipped when its routes have other gateways').default(10).argParser(seconds))
    .action(async (paths: string[], options) => (await import('./commands/serve')).run(paths, options))

  program
    .command('local')
    .description('Run the edge locally (npm start, npm run sandbox) with a local echo backend per Service port; no cloud account needed')
    .argument('[paths...]', 'Kubernetes manifests (default: infra/examples)')
    .option('--source <spec>', 'follow the tables a controller publishes instead (http(s)://<controller>/v1/route-table, s3://..., file:...)')
    .addOption(new Option('--port <port>', 'public port of the edge').default(8080).argParser(integer))
    .option('--host <address>', 'address the edge and the backends listen on', '127.0.0.1')
    .addOption(new Option('--admin-port <port>', 'port for /metrics, /healthz, /readyz').default(9090).argParser(integer))
    .action(async (paths: string[], options) => (await import('./commands/local')).run(paths, options))

  program
    .command('controller')
    .description('Run the in-cluster controller: NLBs for LoadBalancer Services, route tables for the edge')
    .option('--kubeconfig <file>', 'kubeconfig (default: in-cluster, then $KUBECONFIG, then ~/.kube/config)')
    .option('--cluster-name <name>', 'cluster name, used in ownership tags and the route-table key')
    .option('--region <region>', 'AWS region (default: $AWS_REGION)')
    .option('--aws-endpoint <url>', 'AWS endpoint override, e.g. a moto server (default: $AWS_ENDPOINT_URL)')
    .option('--dry-run', 'log the AWS changes it would make and change nothing', false)
    .option('--default-load-balancer-class', 'also manage LoadBalancer Services that set no loadBalancerClass', false)
    .addOption(new Option('--workers <n>', 'Services reconciled in parallel').default(4).argParser(integer))
    .option('--resync-period <duration>', 'how often to rediscover AWS and reconcile every Service (e.g. 90s, 5m)', '5m')
    .option('--metrics-address <host:port>', 'address for /metrics, /healthz, /readyz', '0.0.0.0:9091')
    .option('--no-leader-elect', 'run without leader election (a single replica)')
    .option('--leader-election-namespace <ns>', 'namespace of the Lease (default: $POD_NAMESPACE, else default)')
    .option('--leader-election-id <name>', 'name of the Lease', 'edge-ingress-controller')
    .option('--lease-duration <duration>', 'leader lease duration; renewals every 2/15 of it, given up after 2/3', '15s')
    .option('--identity <id>', 'this replica in the Lease (default: hostname + random suffix)')
    .option('--aws-rate-limit <spec>', 'client-side AWS limits, e.g. "RegisterTargets=2:5,Describe*=10:40" (perSecond:burst)')
    .option('--no-load-balancers', 'do not run the L4 half (NLBs for LoadBalancer Services)')
    .option('--no-routes', 'do not run the L7 half (route tables from Ingress / Gateway API)')
    .option('--publish <target>', 'where the route table goes: http, s3://<bucket>[/<prefix>], file:<path> (repeatable)', collect)
    .option('--route-table-address <host:port>', 'address of the route-table endpoint (GET /v1/route-table) for --publish http', '0.0.0.0:9092')
    .option('--route-table-token-file <file>', 'require Authorization: Bearer <token> on the route-table endpoint; one token per line (two while rotating), read again every few seconds')
    .option('--public-address <ip-or-hostname>', "the edge's public address, written to Ingress and Gateway status")
    .option('--route-batch-window <duration>', 'changes within this window cost one compile', '50ms')
    .option('--api-discovery-interval <duration>', 'how often to ask the API server again which route resources it serves (Gateway API / EdgePolicy CRDs installed later)', '30s')
    .option('--allow-test-address-override', 'TESTS ONLY: honour the edge-ingress.io/test-balancer-address annotation (loopback addresses)', false)
    .option('--api-key-secrets', 'read Secrets labelled edge-ingress.io/api-keys=true for EdgePolicy API keys (needs RBAC to list and watch Secrets)', false)
    .action(async (options) => (await import('./commands/controller')).run({ ...options, publish: options.publish ?? ['http'] }))
  return program
}
