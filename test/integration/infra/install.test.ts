// The cluster install (infra/) against a real kube-apiserver: rendered by the real kustomize,
// applied with server-side apply after the Gateway API CRDs, then the controller image's
// program (the bundle) run with the Deployment's arguments as the ServiceAccount the install
// creates. It must do its whole job with exactly that role, and be refused anything else.
// A private environment: the controller is cluster-wide and owns every Node it sees.
import { DescribeLoadBalancersCommand, DescribeTagsCommand } from '@aws-sdk/client-elastic-load-balancing-v2'
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3'
import { ApiException, type KubernetesObject, type V1ConfigMap, type V1Deployment, type V1PodDisruptionBudget } from '@kubernetes/client-node'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleController } from '../../../controller/build/bundle'
import { clusterTableKey } from '../../../edge/src/route-table/store-layout'
import type { RouteTable } from '../../../edge/src/route-table/types'
import { createAwsClients, createKubeClients, writeKubeconfigFor, type KubeClients } from '../../env/clients'
import { startEnvironment, type TestEnvironment } from '../../env/environment'
import { createNetwork, launchInstances } from '../../env/fixtures/aws-network'
import { installGatewayApiCrds } from '../../env/fixtures/gateway-api'
import { createNodeForInstance } from '../../env/fixtures/nodes'
import { freePort } from '../../env/ports'
import type { ManagedProcess } from '../../env/process'
import { eventually } from '../edge/support/eventually'
import { argValues, controllerContainer, startBundledController } from './support/bundled-controller'
import { describeObject, findObject, readManifestDir, renderKustomization, serverSideApply } from './support/manifests'

const repo = fileURLToPath(new URL('../../..', import.meta.url))
const serviceAccount = 'system:serviceaccount:edge-ingress:edge-ingress-controller'
const fieldManager = 'edge-ingress-install-test'

let env: TestEnvironment
let admin: KubeClients
let asController: KubeClients
let workDir: string
let base: KubernetesObject[]
let overlay: KubernetesObject[]
let examples: KubernetesObject[]
let controller: ManagedProcess | undefined
let cluster: string
let metricsPort: number
let routeTablePort: number
let balancerHostnames: string[]

beforeAll(async () => {
  env = await startEnvironment({ name: 'infra' })
  admin = createKubeClients(env.info)
  asController = createKubeClients(env.info, { impersonate: serviceAccount })
  workDir = await mkdtemp(join(tmpdir(), 'edge-ingress-infra-'))
  ;[base, overlay, examples] = await Promise.all([
    renderKustomization(join(repo, 'infra/base')),
    renderKustomization(join(repo, 'infra/overlays/example')),
    readManifestDir(join(repo, 'infra/examples')),
  ])
}, 300_000)

afterAll(async () => {
  await controller?.stop()
  await env?.stop()
  if (workDir) await rm(workDir, { recursive: true, force: true })
})

describe('infra/ on a real kube-apiserver', () => {
  it('applies cleanly with server-side apply: Gateway API CRDs, base, overlay, examples; a second apply changes nothing', async () => {
    await installGatewayApiCrds(admin.kubeConfig)
    for (const objects of [base, overlay, examples]) await serverSideApply(admin.kubeConfig, objects, fieldManager)
    const again = await serverSideApply(admin.kubeConfig, overlay, fieldManager)
    const stored = await Promise.all(overlay.map((o) => admin.objects.read(o as never)))
    expect(again.map((o) => `${describeObject(o)}@${o.metadata?.resourceVersion}`)).toEqual(stored.map((o) => `${describeObject(o)}@${o.metadata?.resourceVersion}`))

    const kinds = overlay.map((o) => o.kind).sort()
    expect(kinds).toEqual(['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'CustomResourceDefinition', 'Deployment', 'GatewayClass', 'IngressClass', 'Namespace', 'PodDisruptionBudget', 'Role', 'RoleBinding', 'Service', 'Service', 'ServiceAccount'])
    const ingressClass = await admin.networking.readIngressClass({ name: 'edge-ingress' })
    expect(ingressClass.spec?.controller).toBe('edge-ingress.io/ingress-controller')
    const gatewayClass = (await admin.customObjects.getClusterCustomObject({ group: 'gateway.networking.k8s.io', version: 'v1', plural: 'gatewayclasses', name: 'edge-ingress' })) as { spec: { controllerName: string } }
    expect(gatewayClass.spec.controllerName).toBe('edge-ingress.io/gateway-controller')
    const account = await admin.core.readNamespacedServiceAccount({ namespace: 'edge-ingress', name: 'edge-ingress-controller' })
    expect(account.metadata?.annotations?.['eks.amazonaws.com/role-arn']).toMatch(/^arn:aws:iam::\d{12}:role\//)
  })

  it('runs 2 replicas with leader election, probes on the metrics port and requests, as the restricted Pod Security Standard allows', async () => {
    const deployment = findObject<V1Deployment>(overlay, 'Deployment', 'edge-ingress-controller')
    expect(deployment.spec?.replicas).toBe(2)
    const container = controllerContainer(deployment)
    expect(container.args).toEqual(expect.arrayContaining(['--leader-election-namespace=$(POD_NAMESPACE)', '--leader-election-id=edge-ingress-controller']))
    expect([container.livenessProbe?.httpGet, container.readinessProbe?.httpGet]).toEqual([{ path: '/healthz', port: 'metrics' }, { path: '/readyz', port: 'metrics' }])
    expect(container.ports?.find((p) => p.name === 'metrics')?.containerPort).toBe(9091)
    expect(container.resources?.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) })
    expect(deployment.spec?.template.spec?.topologySpreadConstraints?.map((t) => t.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname'])
    expect(findObject<V1PodDisruptionBudget>(overlay, 'PodDisruptionBudget').spec?.minAvailable).toBe(1)
    // No kubelet here: the apiserver's PodSecurity admission judges a pod made from the template.
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pss-check', namespace: 'edge-ingress' }, spec: deployment.spec!.template.spec! }
    const admitted = await admin.core.createNamespacedPod({ namespace: 'edge-ingress', body: pod, dryRun: 'All' })
    expect(admitted.spec?.containers[0]?.securityContext?.readOnlyRootFilesystem).toBe(true)
    const privileged = structuredClone(pod)
    privileged.spec.containers[0]!.securityContext = { ...privileged.spec.containers[0]!.securityContext, allowPrivilegeEscalation: true }
    const refused = await admin.core.createNamespacedPod({ namespace: 'edge-ingress', body: privileged, dryRun: 'All' }).then(() => null, (e: ApiException<string>) => e)
    expect(refused?.code).toBe(403)
    expect(refused?.body).toContain('violates PodSecurity')
    expect(refused?.body).toContain('allowPrivilegeEscalation')
  })

  it('the bundled controller, as its ServiceAccount, gives every example Service an NLB and its status, and leads through its Lease', async () => {
    const deployment = findObject<V1Deployment>(overlay, 'Deployment', 'edge-ingress-controller')
    const config = findObject<V1ConfigMap>(overlay, 'ConfigMap', 'edge-ingress-controller-config')
    cluster = config.data!.CLUSTER_NAME!
    const aws = createAwsClients(env.info)
    const network = await createNetwork(aws.ec2, { zones: 2, tags: { 'kubernetes.io/role/elb': '1', [`kubernetes.io/cluster/${cluster}`]: 'shared' } })
    for (const instance of await launchInstances(aws.ec2, network, { count: 2 })) await createNodeForInstance(admin.core, instance, env.info.region)
    // The bucket `cdk deploy` makes, named in the overlay's --publish.
    for (const target of argValues(controllerContainer(deployment), '--publish').filter((t) => t.startsWith('s3://'))) {
      await aws.s3.send(new CreateBucketCommand({ Bucket: target.slice('s3://'.length).split('/')[0] }))
    }

    const bundle = join(workDir, 'controller.mjs')
    await bundleController(bundle)
    const kubeconfig = join(workDir, 'controller.kubeconfig')
    await writeKubeconfigFor(env.info, { impersonate: serviceAccount }, kubeconfig)
    await mkdir(join(workDir, 'home'), { recursive: true })
    metricsPort = await freePort()
    routeTablePort = await freePort()
    controller = startBundledController({
      bundle, deployment, config, kubeconfig, metricsPort, routeTablePort, workDir,
      podName: 'edge-ingress-controller-0',
      awsEndpoint: env.info.motoUrl,
      awsCredentials: { accessKeyId: env.info.awsAccessKeyId, secretAccessKey: env.info.awsSecretAccessKey },
      configOverrides: { AWS_REGION: env.info.region },
    })

    const services = examples.filter((o) => o.kind === 'Service').map((o) => o.metadata!.name!)
    expect(services.length).toBeGreaterThanOrEqual(4)
    const statuses = await eventually(
      () => Promise.all(services.map((name) => admin.core.readNamespacedServiceStatus({ namespace: 'demo', name }))),
      (all) => all.every((s) => s.status?.loadBalancer?.ingress?.[0]?.hostname),
      'every example Service has a balancer hostname',
      600, 100,
    ).catch((error: Error) => Promise.reject(new Error(`${error.message}; controller log:\n${controller?.lastLogLines()}`)))
    const balancers = (await aws.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? []
    const tags = await aws.elbv2.send(new DescribeTagsCommand({ ResourceArns: balancers.map((b) => b.LoadBalancerArn!) }))
    const ours = balancers.filter((b) => tags.TagDescriptions?.find((t) => t.ResourceArn === b.LoadBalancerArn)?.Tags?.some((t) => t.Value === cluster))
    balancerHostnames = statuses.map((s) => s.status!.loadBalancer!.ingress![0]!.hostname!).sort()
    expect(ours.map((b) => b.DNSName).sort()).toEqual(balancerHostnames)
    expect(ours.every((b) => b.Type === 'network')).toBe(true)
    for (const s of statuses) expect(s.metadata?.finalizers).toContain('edge-ingress.io/load-balancer')

    const lease = await admin.coordination.readNamespacedLease({ namespace: 'edge-ingress', name: 'edge-ingress-controller' })
    expect(lease.spec?.holderIdentity).toBe('edge-ingress-controller-0')
    const events = await admin.events.listNamespacedEvent({ namespace: 'demo' })
    expect(events.items.some((e) => e.reportingController === 'edge-ingress.io/controller')).toBe(true)
    const ready = await fetch(`http://127.0.0.1:${metricsPort}/readyz`)
    expect(ready.status).toBe(200)
  })

  it('publishes the examples\' route table to the bucket and its endpoint, and writes route status', async () => {
    const aws = createAwsClients(env.info)
    const deployment = findObject<V1Deployment>(overlay, 'Deployment', 'edge-ingress-controller')
    const bucket = argValues(controllerContainer(deployment), '--publish').find((t) => t.startsWith('s3://'))!.slice('s3://'.length)
    const publicAddress = argValues(controllerContainer(deployment), '--public-address')[0]!
    const readObject = async (key: string) => JSON.parse(await (await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString())
    // The pointer is written once every backend Service has its balancer (the table changes until then).
    const table = await eventually(
      async () => {
        const pointer = await readObject(clusterTableKey(cluster)).catch(() => null)
        return pointer ? ((await readObject(pointer.key)) as RouteTable) : null
      },
      (t) => t !== null && Object.values(t.gateways).map((g) => g.address).sort().join() === balancerHostnames.join(),
      'a route table whose gateways are the example Services\' balancers',
      600, 100,
    ).catch((error: Error) => Promise.reject(new Error(`${error.message}; controller log:\n${controller?.lastLogLines()}`)))
    expect(table!.hosts.map((h) => h.hostname).sort()).toEqual(['api.example.com', 'old.example.com', 'shop.example.com'])
    const served = await fetch(`http://127.0.0.1:${routeTablePort}/v1/route-table`)
    expect(served.status).toBe(200)
    expect(((await served.json()) as RouteTable).revision).toBe(table!.revision)

    const ingress = await eventually(() => admin.networking.readNamespacedIngressStatus({ namespace: 'demo', name: 'shop' }), (i) => Boolean(i.status?.loadBalancer?.ingress?.length), 'Ingress status', 300, 100)
    expect(ingress.status?.loadBalancer?.ingress?.[0]?.hostname).toBe(publicAddress)
    const route = await eventually(
      () => admin.customObjects.getNamespacedCustomObjectStatus({ group: 'gateway.networking.k8s.io', version: 'v1', namespace: 'demo', plural: 'httproutes', name: 'api' }) as Promise<{ status?: { parents?: { controllerName: string; conditions: { type: string; status: string }[] }[] } }>,
      (r) => Boolean(r.status?.parents?.length),
      'HTTPRoute status', 300, 100,
    )
    const parent = route.status!.parents![0]!
    expect(parent.controllerName).toBe('edge-ingress.io/gateway-controller')
    expect(parent.conditions.filter((c) => c.type === 'Accepted' || c.type === 'ResolvedRefs').map((c) => `${c.type}=${c.status}`).sort()).toEqual(['Accepted=True', 'ResolvedRefs=True'])
    // Its role was enough for everything it did, and it reads every kind the route compiler takes.
    const log = controller!.lastLogLines(10_000)
    expect(log).not.toMatch(/forbidden|HTTP 403|"code":403/i)
    const synced = log.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { msg?: string; informers?: string[] }).find((line) => line.msg === 'caches synced')
    expect(synced?.informers).toEqual(expect.arrayContaining(['/api/v1/services', '/api/v1/nodes', '/api/v1/namespaces', '/apis/networking.k8s.io/v1/ingresses',
      '/apis/gateway.networking.k8s.io/v1/httproutes', '/apis/gateway.networking.k8s.io/v1/referencegrants', '/apis/edge-ingress.io/v1alpha1/edgepolicies']))
  })

  it('refuses the ServiceAccount anything outside its role', async () => {
    const refusals = {
      'read Secrets': () => asController.core.listNamespacedSecret({ namespace: 'edge-ingress' }),
      'delete a Service': () => asController.core.deleteNamespacedService({ namespace: 'demo', name: 'shop-web' }),
      'change a Node': () => asController.core.patchNode({ name: 'any', body: [{ op: 'add', path: '/metadata/labels/x', value: 'y' }] }),
      'take a Lease in another namespace': () => asController.coordination.createNamespacedLease({ namespace: 'demo', body: { metadata: { name: 'grab' }, spec: {} } }),
      'take over another Lease in its namespace': () => asController.coordination.readNamespacedLease({ namespace: 'edge-ingress', name: 'someone-else' }),
      'edit its own role': () => asController.rbac.deleteClusterRole({ name: 'edge-ingress-controller' }),
      'create Pods': () => asController.core.createNamespacedPod({ namespace: 'edge-ingress', body: { metadata: { name: 'x' }, spec: { containers: [{ name: 'x', image: 'x' }] } } }),
    }
    for (const [what, call] of Object.entries(refusals)) {
      const error = await call().then(() => null, (e: unknown) => e)
      expect(error instanceof ApiException ? error.code : error, what).toBe(403)
    }
    // ... while what it needs is allowed (the same identity, the same apiserver).
    await expect(asController.core.listServiceForAllNamespaces()).resolves.toBeDefined()
  })

  it('stops on SIGTERM (as a pod is stopped), hands its Lease back and stops', async () => {
    const running = controller!
    await running.stop(10_000)
    expect(running.lastLogLines(5)).toMatch(/controller stopped/)
    const lease = await admin.coordination.readNamespacedLease({ namespace: 'edge-ingress', name: 'edge-ingress-controller' })
    expect(lease.spec?.holderIdentity ?? null).toBeNull()
  })
})
