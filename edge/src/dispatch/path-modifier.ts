// Gateway API HTTPPathModifier, shared by URLRewrite and RequestRedirect.
import type { PathModifier } from '../route-table/types'

const withoutTrailingSlash = (value: string) => (value.endsWith('/') ? value.slice(0, -1) : value)

/**
 * Applies `modifier` to `path`. `matchedPrefix` is the route's PathPrefix value: ReplacePrefixMatch
 * swaps exactly those whole path elements (a trailing '/' on either side is ignored), as the
 * table in the spec's `replacePrefixMatch` field shows.
 */
export function modifyPath(path: string, modifier: PathModifier, matchedPrefix: string): string {
  if (modifier.type === 'ReplaceFullPath') return modifier.value
  const prefix = withoutTrailingSlash(matchedPrefix)
  // The matcher only picks a prefix route whose prefix is a whole-element prefix of the path;
  // the guard keeps a caller's mistake from cutting a path in the middle of an element.
  const rest = path.startsWith(prefix) && (path.length === prefix.length || path[prefix.length] === '/') ? path.slice(prefix.length) : path
  const result = withoutTrailingSlash(modifier.value) + rest
  return result === '' ? '/' : result.startsWith('/') ? result : `/${result}`
}
