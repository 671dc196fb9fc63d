// Error responses in the shapes AWS sends and the SDK parses, per protocol.
// Throttling codes are the ones the SDK's retry strategy treats as throttling
// (@smithy/core service-error-classification): ELBv2 `Throttling` (HTTP 400),
// EC2 `RequestLimitExceeded` (HTTP 503), S3 `SlowDown` (HTTP 503).
import { randomUUID } from 'node:crypto'

export interface AwsErrorSpec {
  status: number
  code: string
  message: string
}

export interface AwsErrorResponse {
  status: number
  contentType: string
  body: string
}

export function throttlingError(service: string): AwsErrorSpec {
  if (service === 'ec2') return { status: 503, code: 'RequestLimitExceeded', message: 'Request limit exceeded.' }
  if (service === 's3') return { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' }
  return { status: 400, code: 'Throttling', message: 'Rate exceeded' }
}

/** A client error the SDK does not retry, so the caller sees the failure itself. */
export const injectedFailure: AwsErrorSpec = { status: 400, code: 'InjectedFault', message: 'failure injected by the test fault proxy' }

export function renderError(service: string, error: AwsErrorSpec): AwsErrorResponse {
  const requestId = randomUUID()
  const code = escapeXml(error.code)
  const message = escapeXml(error.message)
  const xml = (body: string) => ({ status: error.status, contentType: 'text/xml', body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}` })
  if (service === 'ec2') {
    return xml(`<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`)
  }
  if (service === 's3') {
    return xml(`<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`)
  }
  // awsQuery (ELBv2 and the other query services)
  const type = error.status >= 500 ? 'Receiver' : 'Sender'
  return xml(
    `<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  )
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
