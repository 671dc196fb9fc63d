// Checks `Authorization: Bearer <token>` against the accepted tokens in constant time: both
// sides are hashed to equal-length digests and compared with timingSafeEqual, and every
// accepted token is compared (no early exit), so the answer's timing tells nothing about how
// much of a guess was right.
import { createHash, timingSafeEqual } from 'node:crypto'

export type BearerCheck = 'ok' | 'missing' | 'invalid'

export function checkBearer(authorization: string | undefined, accepted: readonly string[]): BearerCheck {
  const match = /^Bearer +([^\s]+) *$/i.exec(authorization ?? '')
  if (!match) return 'missing'
  const given = digest(match[1]!)
  let ok = false
  for (const token of accepted) ok = timingSafeEqual(given, digest(token)) || ok
  return ok ? 'ok' : 'invalid'
}

const digest = (text: string) => createHash('sha256').update(text).digest()
