// Gateway API match precedence across all routes of a host (DESIGN.md "Matching semantics"):
// Exact path, longest prefix, method, most headers, most query parameters, oldest, then
// namespace/name, rule and match index. The edge's matcher sorts by the same rules; the
// compiler uses them to write routes in a readable order and to find shadowed routes.
import type { Route } from '../../../edge/src/route-table/types'
import { compareText } from './candidate'

export function comparePrecedence(a: Route, b: Route): number {
  const pa = a.match.path
  const pb = b.match.path
  return (
    (pa.type === pb.type ? 0 : pa.type === 'Exact' ? -1 : 1) ||
    pb.value.length - pa.value.length ||
    (a.match.method === null ? 1 : 0) - (b.match.method === null ? 1 : 0) ||
    b.match.headers.length - a.match.headers.length ||
    b.match.query.length - a.match.query.length ||
    compareText(a.source.createdAt, b.source.createdAt) ||
    compareText(`${a.source.namespace}/${a.source.name}`, `${b.source.namespace}/${b.source.name}`) ||
    compareText(a.source.kind, b.source.kind) ||
    a.source.rule - b.source.rule ||
    a.source.match - b.source.match
  )
}
