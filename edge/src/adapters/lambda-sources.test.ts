// Which sources the Lambda runtimes follow for a given configuration (no network: discoveries of
// fixed lists answer from memory; the S3 listing itself is tested against moto).
import { describe, expect, it } from 'vitest'
import type { LogFields } from '../observability/logger'
import { lambdaSources, type LambdaSourceSettings } from './lambda-sources'

async function follow(settings: LambdaSourceSettings) {
  const errors: LogFields[] = []
  const logger = { info() {}, warn() {}, error: (fields: LogFields) => void errors.push(fields) }
  const discoveries = lambdaSources(logger, settings)
  return { names: discoveries.map((d) => d.name), errors, discoveries }
}
const sourcesOf = async (settings: LambdaSourceSettings) => {
  const { discoveries, errors } = await follow(settings)
  const found = await Promise.all(discoveries.filter((d) => d.name === 'configured sources').map((d) => d.discover()))
  return { names: found.flat().map((s) => s.name), errors }
}

describe('lambdaSources', () => {
  it('follows nothing without a bucket or endpoints', async () => {
    expect((await follow({})).names).toEqual([])
  })

  it('lists every cluster under the prefix when neither a key nor clusters are set (the CDK default)', async () => {
    expect((await follow({ bucket: 'b' })).names).toEqual(['s3://b/route-tables/'])
    expect((await follow({ bucket: 'b', prefix: 'tables' })).names).toEqual(['s3://b/tables/'])
  })

  it('reads the named clusters, leaving out (and logging) names that are not cluster names', async () => {
    const { names, errors } = await sourcesOf({ bucket: 'b', prefix: 'tables', clusters: 'eu-1, us_1,../x' })
    expect(names).toEqual(['s3://b/tables/eu-1/route-table.json', 's3://b/tables/us_1/route-table.json'])
    expect(errors).toEqual([expect.objectContaining({ event: 'route-table-config-invalid', clusters: ['../x'] })])
  })

  it('reads one key when it is set, before any cluster list', async () => {
    expect((await sourcesOf({ bucket: 'b', key: 'k/route-table.json', clusters: 'a' })).names).toEqual(['s3://b/k/route-table.json'])
  })

  it('adds controller endpoints, leaving out (and logging) what is not an http(s) URL', async () => {
    const { names, errors } = await sourcesOf({ bucket: 'b', clusters: 'a', urls: 'http://127.0.0.1:9092/v1/route-table ftp://x/y', token: 'abcdefghijklmnop1234' })
    expect(names).toEqual(['s3://b/route-tables/a/route-table.json', 'http://127.0.0.1:9092/v1/route-table'])
    expect(errors).toEqual([expect.objectContaining({ url: 'ftp://x/y' })])
    expect(JSON.stringify(errors)).not.toContain('abcdefghijklmnop1234')
  })
})
