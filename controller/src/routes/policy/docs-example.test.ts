// docs/examples/api-gateway.yaml is what docs/api-gateway.md shows: it must compile cleanly to
// the policies the page describes.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseManifestText } from '../../manifests/parse'
import { compileRoutes } from '../compile'
import { withInstalledClasses } from '../installed-classes'

const file = new URL('../../../../docs/examples/api-gateway.yaml', import.meta.url)

describe('docs/examples/api-gateway.yaml', () => {
  it('compiles without errors or warnings to routes carrying their policies', async () => {
    const parsed = parseManifestText(readFileSync(file, 'utf8'), 'api-gateway.yaml')
    expect(parsed.problems).toEqual([])
    const result = await compileRoutes(withInstalledClasses(parsed.objects.map((o) => o.object)), { clusterName: 'docs' })
    expect(result.diagnostics.filter((d) => d.severity !== 'info')).toEqual([])
    const filters = Object.fromEntries(result.table.hosts.flatMap((h) => h.routes.map((r) => [r.id, r.action.filters.map((f) => f.type)])))
    expect(filters).toEqual({
      'HTTPRoute/shop/orders-api/0/0': ['CORS', 'Authentication', 'RateLimit', 'RequestBodyLimit'],
      'HTTPRoute/shop/orders-api/1/0': ['Authentication', 'RateLimit', 'RequestBodyLimit'],
      'Ingress/shop/partner-feed/0/0': ['Authentication'],
    })
  })
})
