// Deterministic AWS names for a Service's balancer and target groups. ELBv2 names are
// at most 32 characters of [A-Za-z0-9-], no leading/trailing hyphen (target groups also
// refuse "--"). A readable slug is cut to fit and a hash of the full identity follows,
// so two long names sharing a prefix never collide.
import { createHash } from 'node:crypto'

export const NAME_PREFIX = 'ei-'
const MAX = 32
const HASH_LENGTH = 10

const hash = (parts: (string | number)[]) => createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, HASH_LENGTH)

function slug(text: string, length: number): string {
  const cleaned = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')
  return cleaned.slice(0, length).replace(/-+$/, '')
}

function compose(readable: string, digest: string): string {
  const room = MAX - NAME_PREFIX.length - 1 - digest.length
  const s = slug(readable, room)
  return s ? `${NAME_PREFIX}${s}-${digest}` : `${NAME_PREFIX}${digest}`
}

export interface ServiceIdentity {
  cluster: string
  namespace: string
  name: string
}

export const loadBalancerName = (id: ServiceIdentity) => compose(`${id.namespace}-${id.name}`, hash(['lb', id.cluster, id.namespace, id.name]))

/** A target group's name changes with everything ELBv2 cannot modify in place: protocol and port. */
export const targetGroupName = (id: ServiceIdentity, portKey: string, protocol: string, nodePort: number) =>
  compose(`${id.name}-${nodePort}`, hash(['tg', id.cluster, id.namespace, id.name, portKey, protocol, nodePort]))

export const isValidElbName = (name: string) =>
  name.length >= 1 && name.length <= MAX && /^[A-Za-z0-9-]+$/.test(name) && !name.startsWith('-') && !name.endsWith('-') && !name.includes('--')
