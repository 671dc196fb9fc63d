// The real kube-apiserver does what later tests rely on: it allocates node ports, keeps
// Node status written through the subresource, enforces RBAC (also for an impersonated
// ServiceAccount) and serves the Gateway API CRDs; and it does NOT run controllers.
import type { V1Service } from '@kubernetes/client-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAwsClients, createKubeClients } from '../../env/clients'
import { createNetwork, launchInstances, type TestInstance } from '../../env/fixtures/aws-network'
import { installGatewayApiCrds } from '../../env/fixtures/gateway-api'
import { createTestNamespace, uniqueName } from '../../env/fixtures/names'
import {
  createNodeForInstance,
  deleteNodes,
  excludeFromLoadBalancersLabel,
  providerIdFor,
  setNodeExcludedFromLoadBalancers,
  setNodeReady,
  setNodeToBeDeleted,
  setNodeUnschedulable,
  toBeDeletedTaint,
} from '../../env/fixtures/nodes'
import { sharedEnvironment } from '../../env/shared-environment'

const env = sharedEnvironment()
const admin = createKubeClients(env)
let namespace: string
let instance: TestInstance
const nodeNames: string[] = []

beforeAll(async () => {
  namespace = await createTestNamespace(admin.core, 'env-k8s')
  const { ec2 } = createAwsClients(env)
  const network = await createNetwork(ec2, { zones: 2, tags: { 'edge-ingress.io/test': namespace } })
  const [launched] = await launchInstances(ec2, network, { count: 1 })
  if (!launched) throw new Error('no instance launched')
  instance = launched
})

afterAll(async () => {
  await deleteNodes(admin.core, nodeNames)
})

describe('Nodes backed by moto instances', () => {
  it('registers a Ready node with the instance providerID and zone', async () => {
    const node = await createNodeForInstance(admin.core, instance, env.region)
    nodeNames.push(node.metadata!.name!)
    expect(node.spec?.providerID).toBe(`aws:///${instance.zone}/${instance.instanceId}`)
    expect(providerIdFor(instance)).toBe(node.spec?.providerID)
    expect(node.metadata?.labels?.['topology.kubernetes.io/zone']).toBe(instance.zone)
    const stored = await admin.core.readNode({ name: node.metadata!.name! })
    expect(stored.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True')
    expect(stored.status?.addresses).toContainEqual({ type: 'InternalIP', address: instance.privateIpAddress })
  })

  it('flips Ready, cordons, excludes from load balancers and marks for deletion', async () => {
    const name = uniqueName('node')
    nodeNames.push(name)
    await createNodeForInstance(admin.core, instance, env.region, { name })
    await setNodeReady(admin.core, name, false)
    await setNodeUnschedulable(admin.core, name, true)
    await setNodeExcludedFromLoadBalancers(admin.core, name, true)
    await setNodeToBeDeleted(admin.core, name, true)
    let node = await admin.core.readNode({ name })
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False')
    expect(node.spec?.unschedulable).toBe(true)
    expect(node.metadata?.labels?.[excludeFromLoadBalancersLabel]).toBe('true')
    expect(node.spec?.taints?.map((t) => t.key)).toContain(toBeDeletedTaint)

    await setNodeReady(admin.core, name, true)
    await setNodeExcludedFromLoadBalancers(admin.core, name, false)
    await setNodeToBeDeleted(admin.core, name, false)
    node = await admin.core.readNode({ name })
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True')
    expect(node.metadata?.labels?.[excludeFromLoadBalancersLabel]).toBeUndefined()
    expect(node.spec?.taints?.map((t) => t.key) ?? []).not.toContain(toBeDeletedTaint)
  })
})

describe('Services of type LoadBalancer', () => {
  it('get node ports and a cluster IP allocated by the apiserver, and no load balancer status', async () => {
    const service = await admin.core.createNamespacedService({
      namespace,
      body: loadBalancerService('web', { externalTrafficPolicy: 'Local' }),
    })
    const nodePorts = service.spec?.ports?.map((p) => p.nodePort) ?? []
    expect(nodePorts).toHaveLength(2)
    for (const port of nodePorts) expect(port).toBeGreaterThanOrEqual(30000)
    for (const port of nodePorts) expect(port).toBeLessThanOrEqual(32767)
    expect(new Set(nodePorts).size).toBe(2)
    expect(service.spec?.healthCheckNodePort).toBeGreaterThanOrEqual(30000)
    expect(service.spec?.clusterIP).toMatch(/^10\.0\.\d+\.\d+$/)
    expect(service.status?.loadBalancer?.ingress).toBeUndefined()
  })

  it('refuses a node port that another Service already holds', async () => {
    const first = await admin.core.createNamespacedService({ namespace, body: loadBalancerService('first') })
    const taken = first.spec!.ports![0]!.nodePort!
    const clash = loadBalancerService('second')
    clash.spec!.ports![0]!.nodePort = taken
    await expect(admin.core.createNamespacedService({ namespace, body: clash })).rejects.toMatchObject({ code: 422 })
  })
})

describe('RBAC', () => {
  it('refuses a user with no bindings', async () => {
    const unprivileged = createKubeClients(env, 'unprivileged')
    await expect(unprivileged.core.listNamespacedService({ namespace })).rejects.toMatchObject({ code: 403 })
    await expect(unprivileged.core.listNode()).rejects.toMatchObject({ code: 403 })
  })

  it('gives an impersonated ServiceAccount exactly what its Role grants', async () => {
    const serviceAccount = 'reader'
    await admin.core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: serviceAccount } } })
    const asServiceAccount = createKubeClients(env, { impersonate: `system:serviceaccount:${namespace}:${serviceAccount}` })
    await expect(asServiceAccount.core.listNamespacedService({ namespace })).rejects.toMatchObject({ code: 403 })

    await admin.rbac.createNamespacedRole({
      namespace,
      body: { metadata: { name: 'service-reader' }, rules: [{ apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch'] }] },
    })
    await admin.rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: 'service-reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'service-reader' },
        subjects: [{ kind: 'ServiceAccount', name: serviceAccount, namespace }],
      },
    })
    // RBAC reads bindings from its informer cache: the grant shows up within moments.
    await expect.poll(() => asServiceAccount.core.listNamespacedService({ namespace }).then(() => 'allowed', (e: { code?: number }) => e.code)).toBe('allowed')
    await expect(asServiceAccount.core.deleteNamespacedService({ namespace, name: 'web' })).rejects.toMatchObject({ code: 403 })
    await expect(asServiceAccount.core.listNamespacedSecret({ namespace })).rejects.toMatchObject({ code: 403 })
    await expect(asServiceAccount.core.listServiceForAllNamespaces()).rejects.toMatchObject({ code: 403 })
  })
})

describe('Gateway API CRDs', () => {
  it('installs the v1.6.1 CRDs idempotently and serves HTTPRoutes', async () => {
    const names = await installGatewayApiCrds(admin.kubeConfig)
    expect(names).toEqual(expect.arrayContaining(['gatewayclasses.gateway.networking.k8s.io', 'gateways.gateway.networking.k8s.io', 'httproutes.gateway.networking.k8s.io', 'referencegrants.gateway.networking.k8s.io']))
    await installGatewayApiCrds(admin.kubeConfig)
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'demo', namespace },
      spec: { parentRefs: [{ name: 'edge' }], hostnames: ['demo.example.com'], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] },
    }
    const created = (await admin.customObjects.createNamespacedCustomObject({ group: 'gateway.networking.k8s.io', version: 'v1', namespace, plural: 'httproutes', body: route })) as { metadata: { uid?: string } }
    expect(created.metadata.uid).toBeTruthy()
  })

  it('rejects an invalid HTTPRoute through the CRD schema', async () => {
    const invalid = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'invalid', namespace },
      spec: { rules: [{ matches: [{ path: { type: 'Regex-ish', value: '/x' } }] }] },
    }
    await expect(admin.customObjects.createNamespacedCustomObject({ group: 'gateway.networking.k8s.io', version: 'v1', namespace, plural: 'httproutes', body: invalid })).rejects.toMatchObject({ code: 422 })
  })
})

describe('what this control plane does not do (no controller-manager)', () => {
  it('leaves a deleted namespace Terminating forever', async () => {
    const doomed = await createTestNamespace(admin.core, 'doomed')
    await admin.core.deleteNamespace({ name: doomed })
    const after = await admin.core.readNamespace({ name: doomed })
    expect(after.status?.phase).toBe('Terminating')
  })

  it('creates no default ServiceAccount in a new namespace', async () => {
    await expect(admin.core.readNamespacedServiceAccount({ namespace, name: 'default' })).rejects.toMatchObject({ code: 404 })
  })
})

function loadBalancerService(name: string, spec: Partial<NonNullable<V1Service['spec']>> = {}): V1Service {
  return {
    metadata: { name },
    spec: {
      type: 'LoadBalancer',
      loadBalancerClass: 'edge-ingress.io/nlb',
      selector: { app: name },
      ports: [
        { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
        { name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' },
      ],
      ...spec,
    },
  }
}
