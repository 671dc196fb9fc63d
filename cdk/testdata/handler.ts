// A stand-in Lambda entry for construct tests that are about the infrastructure
// around the handler, not the handler (the real entry is bundled in the stack tests).
export const handler = async () => ({ statusCode: 200, body: 'ok' })
