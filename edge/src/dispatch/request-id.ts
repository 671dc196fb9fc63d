// X-Request-Id: keep a well-formed incoming one (so a client or CDN can correlate), else make one.
const wellFormed = /^[A-Za-z0-9._:@/+=-]{1,128}$/

export function resolveRequestId(incoming: string | null, generate: () => string): string {
  return incoming !== null && wellFormed.test(incoming) ? incoming : generate()
}
