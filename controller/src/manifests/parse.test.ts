import { describe, expect, it } from 'vitest'
import { parseManifestText } from './parse'

describe('parseManifestText', () => {
  it('reads every document of a multi-document file and skips empty ones', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\n---\n# only a comment\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n'
    const parsed = parseManifestText(text, 'x.yaml')
    expect(parsed.problems).toEqual([])
    expect(parsed.objects.map((o) => [o.object.kind, o.document])).toEqual([['Service', 1], ['Namespace', 4]])
  })

  it('flattens List kinds, nested ones too', () => {
    const text = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' } }, { kind: 'ServiceList', items: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'b' } }] }],
    })
    const parsed = parseManifestText(text, 'list.json')
    expect(parsed.objects.map((o) => (o.object.metadata as { name: string }).name)).toEqual(['a', 'b'])
  })

  it('names the file, the document and the line of a YAML error, and keeps the other documents', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\nmetadata: {name: x, name: y}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n'
    const parsed = parseManifestText(text, 'dup.yaml')
    expect(parsed.objects).toHaveLength(2)
    expect(parsed.problems).toEqual([{ file: 'dup.yaml', document: 2, message: expect.stringMatching(/^invalid YAML \(line 5, column \d+\): Map keys must be unique/) }])
  })

  it('reports documents that are not mappings', () => {
    const parsed = parseManifestText('- a\n- b\n---\njust text\n', 'odd.yaml')
    expect(parsed.objects).toEqual([])
    expect(parsed.problems.map((p) => p.document)).toEqual([1, 2])
    expect(parsed.problems[0]!.message).toContain('not a Kubernetes object')
  })

  it('reports broken JSON with its position', () => {
    const parsed = parseManifestText('{"apiVersion": "v1", "kind": ', 'broken.json')
    expect(parsed.objects).toEqual([])
    expect(parsed.problems).toHaveLength(1)
    expect(parsed.problems[0]).toMatchObject({ file: 'broken.json', document: 1, message: expect.stringMatching(/^invalid YAML \(line 1/) })
  })
})
