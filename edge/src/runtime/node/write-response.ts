// A web Response the edge made itself (a JSON error, a redirect), written to node:http's response.
import type { ServerResponse } from 'node:http'

export async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer())
  const flat: string[] = []
  for (const [name, value] of response.headers) flat.push(name, value)
  res.writeHead(response.status, flat).end(body)
}
