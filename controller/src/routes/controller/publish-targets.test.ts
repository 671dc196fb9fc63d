import { describe, expect, it } from 'vitest'
import { parsePublishTarget } from './publish-targets'

describe('parsePublishTarget', () => {
  it('reads http, s3 with the default or a custom prefix, and file paths', () => {
    expect(parsePublishTarget('http')).toEqual({ kind: 'http' })
    expect(parsePublishTarget('s3://route-tables-bucket')).toEqual({ kind: 's3', bucket: 'route-tables-bucket', prefix: 'route-tables/' })
    expect(parsePublishTarget('s3://bucket.example/custom/tables/')).toEqual({ kind: 's3', bucket: 'bucket.example', prefix: 'custom/tables/' })
    expect(parsePublishTarget('file:/var/lib/edge/table.json')).toEqual({ kind: 'file', path: '/var/lib/edge/table.json' })
    expect(parsePublishTarget('file:///tmp/a%20b.json')).toEqual({ kind: 'file', path: '/tmp/a b.json' })
  })

  it('refuses what it cannot use, naming the flag', () => {
    expect(() => parsePublishTarget('s3://UPPER')).toThrow(/--publish s3:\/\/UPPER: "UPPER" is not an S3 bucket name/)
    expect(() => parsePublishTarget('file:')).toThrow(/no file path/)
    expect(() => parsePublishTarget('kafka://x')).toThrow(/expected http, s3:\/\/<bucket>\[\/<prefix>\] or file:<path>/)
  })
})
