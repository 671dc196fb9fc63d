// Kubernetes Ingress docs (concepts/services-networking/ingress): the path-type examples table,
// "Multiple matches", hostname wildcards (one DNS label) and defaultBackend.
import { answers, fallsBack, forwards, route, table } from './builder'
import type { SpecCase, SpecRequest } from './types'

const DOCS = 'https://kubernetes.io/docs/concepts/services-networking/ingress/#examples'
const HOST = 'ingress.example.com'

type PathType = 'Exact' | 'Prefix'

/** One Ingress `default/web` whose paths are rules 0, 1, ... each to `default/svc-<i>:80`. */
function pathCase(name: string, paths: [PathType, string][], requests: [string, number | 'default' | null][], withDefault = false): SpecCase {
  const routes = paths.map(([type, value], i) =>
    route({ kind: 'Ingress', object: 'default/web', rule: i, ...(type === 'Exact' ? { exact: value } : { prefix: value }), backend: `default/svc-${i}:80` }),
  )
  return {
    name: `Ingress paths: ${name}`,
    source: DOCS,
    table: table({ [HOST]: routes }, withDefault ? { fallback: 'default/default-backend:80' } : {}),
    requests: requests.map(([path, expected]): SpecRequest => ({
      url: `http://${HOST}${path}`,
      expect:
        expected === null ? answers(404) : expected === 'default' ? fallsBack('default/default-backend:80') : forwards(`Ingress/default/web/${expected}/0`, `default/svc-${expected}:80`),
    })),
  }
}

const wildcardHosts: SpecCase = {
  name: 'Ingress hostname wildcards match exactly one DNS label',
  source: 'https://kubernetes.io/docs/concepts/services-networking/ingress/#hostname-wildcards',
  table: table({
    'foo.com': [route({ kind: 'Ingress', object: 'default/exact', backend: 'default/exact:80' })],
    '*.foo.com': [route({ kind: 'Ingress', object: 'default/wild', backend: 'default/wild:80' })],
  }),
  requests: [
    { url: 'http://bar.foo.com/', expect: forwards('Ingress/default/wild/0/0', 'default/wild:80') },
    { url: 'http://baz.foo.com/x', expect: forwards('Ingress/default/wild/0/0', 'default/wild:80') },
    { url: 'http://baz.bar.foo.com/', expect: answers(404) },
    { url: 'http://foo.com/', expect: forwards('Ingress/default/exact/0/0', 'default/exact:80') },
    { url: 'http://foobar.com/', expect: answers(404) },
  ],
}

const defaultBackend: SpecCase = {
  name: 'Ingress defaultBackend takes requests that match no rule, and hosts in no rule',
  source: 'https://kubernetes.io/docs/concepts/services-networking/ingress/#default-backend',
  table: table({ [HOST]: [route({ kind: 'Ingress', object: 'default/web', prefix: '/app', backend: 'default/app:80' })] }, { fallback: 'default/default-backend:80' }),
  requests: [
    { url: `http://${HOST}/app/x`, expect: forwards('Ingress/default/web/0/0', 'default/app:80') },
    { url: `http://${HOST}/other`, expect: fallsBack('default/default-backend:80') },
    { url: 'http://unknown.example.org/app', expect: fallsBack('default/default-backend:80') },
  ],
}

export const ingressCases: SpecCase[] = [
  pathCase('Prefix / matches all paths', [['Prefix', '/']], [['/', 0], ['/anything/at/all', 0]]),
  pathCase('Exact /foo', [['Exact', '/foo']], [['/foo', 0], ['/bar', null], ['/foo/', null]]),
  pathCase('Exact /foo/ does not match /foo', [['Exact', '/foo/']], [['/foo', null], ['/foo/', 0]]),
  pathCase('Prefix /foo matches /foo and /foo/', [['Prefix', '/foo']], [['/foo', 0], ['/foo/', 0]]),
  pathCase('Prefix /foo/ matches /foo and /foo/', [['Prefix', '/foo/']], [['/foo', 0], ['/foo/', 0]]),
  pathCase('Prefix /aaa/bb does not match /aaa/bbb', [['Prefix', '/aaa/bb']], [['/aaa/bbb', null]]),
  pathCase('Prefix /aaa/bbb matches /aaa/bbb', [['Prefix', '/aaa/bbb']], [['/aaa/bbb', 0]]),
  pathCase('Prefix /aaa/bbb/ ignores the trailing slash', [['Prefix', '/aaa/bbb/']], [['/aaa/bbb', 0]]),
  pathCase('Prefix /aaa/bbb matches a trailing slash and subpaths, not string prefixes', [['Prefix', '/aaa/bbb']], [['/aaa/bbb/', 0], ['/aaa/bbb/ccc', 0], ['/aaa/bbbxyz', null]]),
  pathCase('Prefix / and /aaa: /aaa/ccc takes /aaa', [['Prefix', '/'], ['Prefix', '/aaa']], [['/aaa/ccc', 1]]),
  pathCase('Prefix /, /aaa, /aaa/bbb: the longest matching prefix wins', [['Prefix', '/'], ['Prefix', '/aaa'], ['Prefix', '/aaa/bbb']], [['/aaa/bbb', 2], ['/ccc', 0]]),
  pathCase('Prefix /aaa and /ccc: no match uses the default backend', [['Prefix', '/aaa']], [['/ccc', 'default']], true),
  pathCase('Mixed: Exact /foo is preferred over Prefix /foo', [['Prefix', '/foo'], ['Exact', '/foo']], [['/foo', 1], ['/foo/x', 0]]),
  wildcardHosts,
  defaultBackend,
]
