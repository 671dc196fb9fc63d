// A throwaway PKI for one kube-apiserver: a CA, the serving certificate, an admin client
// certificate in system:masters, and the service-account signing key pair.
// Node can parse but not issue X.509 certificates, so the certificates come from openssl.
import { execFile } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { findOnPath } from './toolchain/command'

const run = promisify(execFile)

export interface ClusterPki {
  caCertPath: string
  servingCertPath: string
  servingKeyPath: string
  adminCertPath: string
  adminKeyPath: string
  serviceAccountKeyPath: string
  serviceAccountPublicKeyPath: string
  caCertPem: string
  adminCertPem: string
  adminKeyPem: string
}

export const adminUser = 'edge-ingress-admin'

export async function createClusterPki(dir: string): Promise<ClusterPki> {
  if (!findOnPath('openssl')) throw new Error('openssl is not installed: it issues the test kube-apiserver certificates (Debian: apt-get install openssl)')
  const caCertPath = join(dir, 'ca.crt')
  const caKeyPath = join(dir, 'ca.key')
  await openssl(['req', '-x509', '-new', '-nodes', ...ecKey(caKeyPath), '-out', caCertPath, '-days', '3650', '-subj', '/CN=edge-ingress-test-ca'])
  const serving = await issue(dir, 'apiserver', caCertPath, caKeyPath, '/CN=kube-apiserver', [
    'subjectAltName=IP:127.0.0.1,DNS:localhost,IP:10.0.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc',
    'extendedKeyUsage=serverAuth',
  ])
  const admin = await issue(dir, 'admin', caCertPath, caKeyPath, `/O=system:masters/CN=${adminUser}`, ['extendedKeyUsage=clientAuth'])
  const serviceAccount = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  })
  const serviceAccountKeyPath = join(dir, 'sa.key')
  const serviceAccountPublicKeyPath = join(dir, 'sa.pub')
  await writeFile(serviceAccountKeyPath, serviceAccount.privateKey, { mode: 0o600 })
  await writeFile(serviceAccountPublicKeyPath, serviceAccount.publicKey)
  return {
    caCertPath,
    servingCertPath: serving.certPath,
    servingKeyPath: serving.keyPath,
    adminCertPath: admin.certPath,
    adminKeyPath: admin.keyPath,
    serviceAccountKeyPath,
    serviceAccountPublicKeyPath,
    caCertPem: await readFile(caCertPath, 'utf8'),
    adminCertPem: await readFile(admin.certPath, 'utf8'),
    adminKeyPem: await readFile(admin.keyPath, 'utf8'),
  }
}

async function issue(dir: string, name: string, caCertPath: string, caKeyPath: string, subject: string, extensions: string[]) {
  const keyPath = join(dir, `${name}.key`)
  const csrPath = join(dir, `${name}.csr`)
  const certPath = join(dir, `${name}.crt`)
  const extPath = join(dir, `${name}.ext`)
  await writeFile(extPath, [...extensions, 'keyUsage=critical,digitalSignature,keyEncipherment', ''].join('\n'))
  await openssl(['req', '-new', '-nodes', ...ecKey(keyPath), '-out', csrPath, '-subj', subject])
  await openssl(['x509', '-req', '-in', csrPath, '-CA', caCertPath, '-CAkey', caKeyPath, '-CAcreateserial', '-out', certPath, '-days', '3650', '-extfile', extPath])
  return { keyPath, certPath }
}

function ecKey(keyPath: string): string[] {
  return ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-keyout', keyPath]
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args)
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? ''
    throw new Error(`openssl ${args[0]} failed: ${stderr.trim() || String(error)}`)
  }
}
