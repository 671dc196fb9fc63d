// Real clients for an environment: @kubernetes/client-node against the kube-apiserver,
// the AWS SDK against moto (or against a fault proxy in front of it).
import { EC2Client } from '@aws-sdk/client-ec2'
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import { S3Client } from '@aws-sdk/client-s3'
import {
  ApiextensionsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  EventsV1Api,
  KubeConfig,
  KubernetesObjectApi,
  NetworkingV1Api,
  RbacAuthorizationV1Api,
} from '@kubernetes/client-node'
import { writeFile } from 'node:fs/promises'
import type { EnvironmentInfo } from './environment'

/**
 * admin: system:masters. unprivileged: an authenticated user with no RBAC bindings.
 * { impersonate }: the admin acting as another user, e.g. `system:serviceaccount:ns:name`
 * (the apiserver adds the service-account groups itself).
 */
export type KubeIdentity = 'admin' | 'unprivileged' | { impersonate: string }

export function createKubeConfig(env: EnvironmentInfo, identity: KubeIdentity = 'admin'): KubeConfig {
  const kc = new KubeConfig()
  kc.loadFromFile(env.kubeconfigPath)
  if (identity === 'unprivileged') {
    kc.setCurrentContext('unprivileged')
  } else if (identity !== 'admin') {
    const admin = kc.getUser('admin')
    if (!admin) throw new Error(`kubeconfig ${env.kubeconfigPath} has no admin user`)
    kc.loadFromOptions({
      clusters: kc.getClusters(),
      users: [{ ...admin, name: 'impersonated', impersonateUser: identity.impersonate }],
      contexts: [{ name: 'impersonated', cluster: 'edge-ingress-test', user: 'impersonated', namespace: 'default' }],
      currentContext: 'impersonated',
    })
  }
  return kc
}

/** A kubeconfig file for a child process (a controller run as its ServiceAccount, kubectl). */
export async function writeKubeconfigFor(env: EnvironmentInfo, identity: KubeIdentity, path: string): Promise<void> {
  await writeFile(path, createKubeConfig(env, identity).exportConfig(), { mode: 0o600 })
}

export function createKubeClients(env: EnvironmentInfo, identity: KubeIdentity = 'admin') {
  const kubeConfig = createKubeConfig(env, identity)
  return {
    kubeConfig,
    core: kubeConfig.makeApiClient(CoreV1Api),
    networking: kubeConfig.makeApiClient(NetworkingV1Api),
    rbac: kubeConfig.makeApiClient(RbacAuthorizationV1Api),
    coordination: kubeConfig.makeApiClient(CoordinationV1Api),
    events: kubeConfig.makeApiClient(EventsV1Api),
    apiextensions: kubeConfig.makeApiClient(ApiextensionsV1Api),
    customObjects: kubeConfig.makeApiClient(CustomObjectsApi),
    objects: KubernetesObjectApi.makeApiClient(kubeConfig),
  }
}

export type KubeClients = ReturnType<typeof createKubeClients>

export interface AwsClientOptions {
  /** Another endpoint for the same moto, e.g. a FaultProxy's URL. */
  endpoint?: string
  maxAttempts?: number
}

export function awsClientConfig(env: EnvironmentInfo, options: AwsClientOptions = {}) {
  return {
    region: env.region,
    endpoint: options.endpoint ?? env.motoUrl,
    credentials: { accessKeyId: env.awsAccessKeyId, secretAccessKey: env.awsSecretAccessKey },
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
  }
}

export function createAwsClients(env: EnvironmentInfo, options: AwsClientOptions = {}) {
  const config = awsClientConfig(env, options)
  return {
    elbv2: new ElasticLoadBalancingV2Client(config),
    ec2: new EC2Client(config),
    // moto serves buckets by path, not by virtual host names.
    s3: new S3Client({ ...config, forcePathStyle: true }),
  }
}

export type AwsClients = ReturnType<typeof createAwsClients>
