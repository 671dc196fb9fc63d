// Golden files: each testdata/<case>.yaml compiles to testdata/<case>.expected.json (the table
// and every result). The YAML files say in comments what each object is there to show; review a
// golden diff against them. Regenerate with `UPDATE_GOLDEN=1 npx vitest run <this file>`.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseRouteTable } from '../../../edge/src/route-table/parse'
import { parseManifestText } from '../manifests/parse'
import { compileRoutes } from './compile'
import { withInstalledClasses } from './installed-classes'

const dir = join(import.meta.dirname, 'testdata')
const cases = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()

describe('compileRoutes golden files', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(5))

  for (const file of cases) {
    it(file, async () => {
      const parsed = parseManifestText(readFileSync(join(dir, file), 'utf8'), file)
      expect(parsed.problems).toEqual([])
      const result = await compileRoutes(withInstalledClasses(parsed.objects.map((o) => o.object)), { clusterName: 'test' })
      // Whatever the input, the table must be one the edge accepts.
      const check = parseRouteTable(JSON.parse(JSON.stringify(result.table)))
      expect(check.ok ? null : check.error).toBeNull()
      const expectedFile = join(dir, file.replace(/\.yaml$/, '.expected.json'))
      const actual = `${JSON.stringify(result, null, 2)}\n`
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(expectedFile, actual)
      expect(existsSync(expectedFile), `missing ${expectedFile}: run with UPDATE_GOLDEN=1 and review it`).toBe(true)
      expect(JSON.parse(actual)).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')))
    })
  }
})
