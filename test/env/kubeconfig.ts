// A self-contained kubeconfig (certificates inline) for the test cluster: context `admin`
// (current, system:masters) and context `unprivileged` (a user with no RBAC bindings).
import { writeFile } from 'node:fs/promises'
import { stringify } from 'yaml'

export interface KubeconfigInput {
  server: string
  caCertPem: string
  adminCertPem: string
  adminKeyPem: string
  unprivilegedToken: string
}

export function renderKubeconfig(input: KubeconfigInput): string {
  const b64 = (pem: string) => Buffer.from(pem).toString('base64')
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'edge-ingress-test', cluster: { server: input.server, 'certificate-authority-data': b64(input.caCertPem) } }],
    users: [
      { name: 'admin', user: { 'client-certificate-data': b64(input.adminCertPem), 'client-key-data': b64(input.adminKeyPem) } },
      { name: 'unprivileged', user: { token: input.unprivilegedToken } },
    ],
    contexts: [
      { name: 'admin', context: { cluster: 'edge-ingress-test', user: 'admin', namespace: 'default' } },
      { name: 'unprivileged', context: { cluster: 'edge-ingress-test', user: 'unprivileged', namespace: 'default' } },
    ],
    'current-context': 'admin',
  })
}

export async function writeKubeconfig(path: string, input: KubeconfigInput): Promise<void> {
  await writeFile(path, renderKubeconfig(input), { mode: 0o600 })
}
