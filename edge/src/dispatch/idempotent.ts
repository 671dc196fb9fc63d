/** RFC 9110 9.2.2: requests with these methods may be sent again without asking the client. */
export const IDEMPOTENT: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE'])
