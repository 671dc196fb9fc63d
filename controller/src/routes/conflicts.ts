// Conflicts between objects: two objects claiming the same host and an identical match, on
// ports where the newer one would never be chosen (the older serves all of them). The oldest
// object wins (creationTimestamp, then namespace/name); the loser's route is left out of the
// table and gets a Conflict naming the winner. Duplicates
// inside one object are not conflicts: its first rule wins by precedence (`routes check` calls
// the others shadowed). The same goes for Ingress defaultBackends: the oldest is the fallback.
import type { RouteAction } from '../../../edge/src/route-table/types'
import { compareOwners, sameObject, type Candidate, type Owner } from './candidate'
import { hostnameSpecificity } from './hostnames'
import { describeMatch, describePorts, hostKey, matchKey } from './match-key'
import type { Conflict } from './results'

const ownerKey = (owner: Owner) => `${owner.ref.kind}/${owner.ref.namespace}/${owner.ref.name}`

/** One candidate per object, rule, match and hostname: ports and parents of its attachments united. */
export function mergeAttachments(candidates: readonly Candidate[]): Candidate[] {
  const merged = new Map<string, Candidate>()
  for (const c of candidates) {
    const key = `${ownerKey(c.owner)}|${c.hostname}|${c.rule}|${c.match}`
    const existing = merged.get(key)
    if (!existing) {
      merged.set(key, { ...c, listenerPorts: [...c.listenerPorts], parents: [...c.parents] })
      continue
    }
    const anyPort = existing.listenerPorts.length === 0 || c.listenerPorts.length === 0
    existing.listenerPorts = anyPort ? [] : [...new Set([...existing.listenerPorts, ...c.listenerPorts])].sort((a, b) => a - b)
    existing.parents = [...new Set([...existing.parents, ...c.parents])].sort((a, b) => a - b)
  }
  return [...merged.values()]
}

export interface Settled {
  kept: Candidate[]
  conflicts: Conflict[]
  /** Copies of wildcard routes that an exact-hostname route outranks (not conflicts). */
  copiesLeftOut: { candidate: Candidate; message: string }[]
}

export function settleConflicts(candidates: readonly Candidate[]): Settled {
  const groups = new Map<string, Candidate[]>()
  for (const c of candidates) {
    const key = `${hostKey(c.hostname, c.wildcard)}|${matchKey(c.routeMatch)}`
    const group = groups.get(key)
    if (group) group.push(c)
    else groups.set(key, [c])
  }
  const kept: Candidate[] = []
  const conflicts: Conflict[] = []
  const copiesLeftOut: Settled['copiesLeftOut'] = []
  for (const group of groups.values()) {
    // A route that named this hostname itself beats a copy from a wildcard (HTTPRoute hostnames:
    // the more specific matching hostname has precedence), then the oldest object wins.
    group.sort((a, b) => hostnameSpecificity(b.origin) - hostnameSpecificity(a.origin) || compareOwners(a.owner, b.owner) || a.rule - b.rule || a.match - b.match)
    const keptHere: Candidate[] = []
    for (const c of group) {
      const winner = keptHere.find((w) => !sameObject(w.owner.ref, c.owner.ref) && coversPorts(w.listenerPorts, c.listenerPorts))
      if (!winner) {
        keptHere.push(c)
        continue
      }
      const what = `${c.hostname} ${describeMatch(c.routeMatch)} (${describePorts(c.listenerPorts)})`
      if (c.origin !== c.hostname) {
        // A copy from a wildcard route losing to a route that names the host: plain precedence.
        copiesLeftOut.push({ candidate: c, message: `${what} (from ${c.origin}) is left out: ${describeOwner(winner.owner)} names ${c.hostname} more specifically` })
        continue
      }
      conflicts.push({
        hostname: c.hostname,
        match: describeMatch(c.routeMatch),
        listenerPorts: c.listenerPorts,
        winner: { object: winner.owner.ref, rule: winner.rule, match: winner.match, createdAt: winner.owner.createdAt },
        loser: { object: c.owner.ref, rule: c.rule, match: c.match, createdAt: c.owner.createdAt },
        message: `${what} is already served by ${describeOwner(winner.owner)}, which is older; left out`,
      })
    }
    kept.push(...keptHere)
  }
  return { kept, conflicts, copiesLeftOut }
}

/** Every port of `loser` is also a port of `winner` ([] means every port). */
export const coversPorts = (winner: readonly number[], loser: readonly number[]): boolean =>
  winner.length === 0 || (loser.length > 0 && loser.every((p) => winner.includes(p)))

export interface FallbackClaim {
  owner: Owner
  action: RouteAction
}

export function settleFallback(claims: readonly FallbackClaim[]): { winner: FallbackClaim | null; conflicts: Conflict[] } {
  const sorted = [...claims].sort((a, b) => compareOwners(a.owner, b.owner))
  const winner = sorted[0] ?? null
  const conflicts = sorted.slice(1).map((loser): Conflict => ({
    hostname: '*',
    match: 'defaultBackend',
    listenerPorts: [],
    winner: { object: winner!.owner.ref, rule: 0, match: 0, createdAt: winner!.owner.createdAt },
    loser: { object: loser.owner.ref, rule: 0, match: 0, createdAt: loser.owner.createdAt },
    message: `defaultBackend is already set by ${describeOwner(winner!.owner)}, which is older; left out`,
  }))
  return { winner, conflicts }
}

const describeOwner = (owner: Owner) => `${owner.ref.kind} ${owner.ref.namespace}/${owner.ref.name}`
