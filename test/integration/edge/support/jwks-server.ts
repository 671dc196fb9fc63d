// An identity provider in miniature: key pairs generated for the test (RS256 and ES256), their
// public halves served as a JWKS over HTTP on loopback, and tokens signed with them. Counts the
// JWKS fetches, so a test can see the edge's cache at work.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose'

export interface Issuer {
  issuer: string
  jwksUrl: string
  fetches(): number
  sign(claims?: { audience?: string; issuer?: string; expiresIn?: string; alg?: 'RS256' | 'ES256' }): Promise<string>
  /** A token signed by a key that is not in the JWKS. */
  forge(): Promise<string>
  close(): Promise<void>
}

export async function startIssuer(issuer = 'https://id.test'): Promise<Issuer> {
  const rsa = await generateKeyPair('RS256')
  const ec = await generateKeyPair('ES256')
  const stranger = await generateKeyPair('ES256')
  const jwk = async (key: CryptoKey, kid: string, alg: string): Promise<JWK> => ({ ...(await exportJWK(key)), kid, alg, use: 'sig' })
  const body = JSON.stringify({ keys: [await jwk(rsa.publicKey, 'rsa-1', 'RS256'), await jwk(ec.publicKey, 'ec-1', 'ES256')] })
  let fetches = 0
  const server: Server = createServer((req, res) => {
    if (req.url !== '/jwks.json') return void res.writeHead(404).end()
    fetches++
    res.writeHead(200, { 'content-type': 'application/json' }).end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const sign = async (o: { audience?: string; issuer?: string; expiresIn?: string; alg?: 'RS256' | 'ES256' } = {}, key?: CryptoKey, kid?: string) => {
    const alg = o.alg ?? 'RS256'
    return new SignJWT({ sub: 'user-1' })
      .setProtectedHeader({ alg, kid: kid ?? (alg === 'RS256' ? 'rsa-1' : 'ec-1') })
      .setIssuer(o.issuer ?? issuer)
      .setAudience(o.audience ?? 'shop')
      .setIssuedAt()
      .setExpirationTime(o.expiresIn ?? '5m')
      .sign(key ?? (alg === 'RS256' ? rsa.privateKey : ec.privateKey))
  }
  return {
    issuer,
    jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    fetches: () => fetches,
    sign: (o) => sign(o),
    forge: () => sign({ alg: 'ES256' }, stranger.privateKey, 'ec-1'),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
