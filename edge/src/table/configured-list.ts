// A list in runtime configuration (an environment variable or a Workers var): a string of items
// separated by commas or whitespace, or (Workers vars may be JSON) an array of strings.
export function configuredList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string').map((item) => item.trim()).filter(Boolean)
  return typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : []
}
