// The edge as a Hono app: one catch-all route into the runtime-neutral handler. Each runtime
// supplies how to read the client's address, scheme and abort signal from its context.
import { Hono, type Context } from 'hono'
import { createEdgeHandler, type EdgeDeps, type RequestContext } from './http/edge-handler'
import { errorResponse } from './http/responses'

export interface EdgeAppOptions extends EdgeDeps {
  requestContext: (c: Context) => RequestContext
}

export function createEdgeApp(options: EdgeAppOptions): Hono {
  const handle = createEdgeHandler(options)
  const app = new Hono()
  app.all('*', (c) => handle(c.req.raw, options.requestContext(c)))
  // A bug must never take the process down or leave a request hanging: answer 500 and log it.
  app.onError((error, c) => {
    const requestId = c.req.header('x-request-id') ?? crypto.randomUUID()
    options.logger.error({ requestId, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, 'unhandled error')
    return errorResponse(500, 'internal error in the edge', requestId)
  })
  return app
}
