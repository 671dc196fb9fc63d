// A real kube-apiserver on loopback, envtest style: no kubelet, no controller-manager.
// Authentication: client certificates (the admin is in system:masters) and a static token
// for one unprivileged user; authorization: RBAC, so refusals are real.
import { randomBytes } from 'node:crypto'
import { request } from 'node:https'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ClusterPki } from '../certs'
import { freePort, loopback } from '../ports'
import { startProcess, waitUntilReady, type ManagedProcess } from '../process'

// Room for thousands of Services (the L4 benchmark creates 500); the first address, 10.0.0.1,
// is the `kubernetes` Service that the serving certificate names.
export const serviceClusterIpRange = '10.0.0.0/16'
export const unprivilegedUser = 'edge-ingress-unprivileged'

export interface KubeApiServer {
  url: string
  unprivilegedToken: string
  process: ManagedProcess
}

export async function startKubeApiserver(binary: string, etcdUrl: string, pki: ClusterPki, workDir: string): Promise<KubeApiServer> {
  const port = await freePort()
  const url = `https://${loopback}:${port}`
  const unprivilegedToken = randomBytes(24).toString('hex')
  const tokenFile = join(workDir, 'tokens.csv')
  await writeFile(tokenFile, `${unprivilegedToken},${unprivilegedUser},${unprivilegedUser}\n`, { mode: 0o600 })
  const proc = startProcess({
    name: 'kube-apiserver',
    command: binary,
    args: [
      `--etcd-servers=${etcdUrl}`,
      `--bind-address=${loopback}`,
      `--advertise-address=${loopback}`,
      `--secure-port=${port}`,
      `--tls-cert-file=${pki.servingCertPath}`,
      `--tls-private-key-file=${pki.servingKeyPath}`,
      `--client-ca-file=${pki.caCertPath}`,
      `--token-auth-file=${tokenFile}`,
      '--authorization-mode=RBAC',
      `--service-cluster-ip-range=${serviceClusterIpRange}`,
      `--service-account-issuer=${url}`,
      `--service-account-key-file=${pki.serviceAccountPublicKeyPath}`,
      `--service-account-signing-key-file=${pki.serviceAccountKeyPath}`,
      // The ServiceAccount plugin expects the token controller to have created each
      // namespace's default ServiceAccount; without a controller-manager it never does.
      '--disable-admission-plugins=ServiceAccount',
      '--allow-privileged=true',
      // Endpoints may not point at loopback, so the reconciler of the `kubernetes`
      // Service's endpoints would only log errors here.
      '--endpoint-reconciler-type=none',
      '--profiling=false',
    ],
    workDir,
  })
  await waitUntilReady(proc, 'kube-apiserver', async () => {
    const ready = await adminGet(url, pki, '/readyz')
    if (ready.status !== 200) return false
    // The default namespace is created by a bootstrap loop shortly after /readyz.
    return (await adminGet(url, pki, '/api/v1/namespaces/default')).status === 200
  }, { timeoutMs: 90_000, intervalMs: 250 })
  return { url, unprivilegedToken, process: proc }
}

function adminGet(baseUrl: string, pki: ClusterPki, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, { ca: pki.caCertPem, cert: pki.adminCertPem, key: pki.adminKeyPem, timeout: 5_000 }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.once('timeout', () => req.destroy(new Error(`GET ${path} timed out`)))
    req.once('error', reject)
    req.end()
  })
}
