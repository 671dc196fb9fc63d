// Requests the edge answers itself once a route is chosen: a rule without a usable backend
// (500, Gateway API HTTPRouteRule.backendRefs), a RequestRedirect (its status code), and an
// unresolved fallback.
import { action, answers, forwards, route, table } from './builder'
import type { SpecCase } from './types'

const broken = route({ object: 'shop/broken', prefix: '/broken', backend: [] })
const unresolved = route({ object: 'shop/unresolved', prefix: '/unresolved', backend: { ref: 'shop/missing:80', unresolved: true } })
const redirect = route({
  object: 'shop/redirect',
  prefix: '/old',
  backend: [],
  filters: [{ type: 'RequestRedirect', scheme: 'https', hostname: null, port: null, path: null, statusCode: 301 }],
})
const ok = route({ object: 'shop/ok', prefix: '/ok', backend: 'shop/ok:80' })

export const edgeAnswerCases: SpecCase[] = [
  {
    name: 'A matched rule without a usable backend answers 500, not 404; a redirect answers its status',
    source: 'Gateway API HTTPRouteRule.backendRefs ("all traffic ... MUST receive a 500"); HTTPRequestRedirectFilter',
    table: table({ 'shop.example.com': [broken, unresolved, redirect, ok] }, { fallback: action({ ref: 'default/gone:80', unresolved: true }) }),
    requests: [
      { url: 'http://shop.example.com/broken', expect: answers(500, broken.id) },
      { url: 'http://shop.example.com/unresolved/x', expect: answers(500, unresolved.id) },
      { url: 'http://shop.example.com/old/page', expect: answers(301, redirect.id) },
      { url: 'http://shop.example.com/ok', expect: forwards(ok.id, 'shop/ok:80') },
      { url: 'http://shop.example.com/elsewhere', expect: answers(500) },
    ],
  },
]
