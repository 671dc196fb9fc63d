// Which AWS service and action an SDK request is, read the way AWS itself routes it:
// the SigV4 credential scope names the service; query protocols (ELBv2, EC2) carry
// `Action=` in the form body; JSON protocols an X-Amz-Target header; S3 is REST.

export interface AwsCall {
  /** elbv2, ec2, s3, or the signing name of any other service. */
  service: string
  action: string
}

const serviceBySigningName: Record<string, string> = { elasticloadbalancing: 'elbv2', ec2: 'ec2', s3: 's3' }

export function identifyCall(method: string, url: string, headers: Record<string, string | string[] | undefined>, body: string): AwsCall {
  const service = signingService(headerValue(headers.authorization))
  const target = headerValue(headers['x-amz-target'])
  if (target) return { service, action: target.split('.').pop() ?? target }
  const formAction = new URLSearchParams(body).get('Action') ?? new URL(url, 'http://x').searchParams.get('Action')
  if (formAction) return { service, action: formAction }
  if (service === 's3') return { service, action: s3Action(method, url) }
  return { service, action: `${method} ${new URL(url, 'http://x').pathname}` }
}

/** Reads (Describe*, Get*, List*, Head*) never change anything; everything else may. */
export function isMutating(action: string): boolean {
  return !/^(Describe|Get|List|Head)/.test(action)
}

function signingService(authorization: string | undefined): string {
  // Credential=AKID/20250101/us-east-1/elasticloadbalancing/aws4_request
  const scope = authorization?.match(/Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\/aws4_request/)
  const name = scope?.[1] ?? 'unknown'
  return serviceBySigningName[name] ?? name
}

/** The S3 REST operation in the SDK's naming, for the operations tests use. */
function s3Action(method: string, url: string): string {
  const parsed = new URL(url, 'http://x')
  const [, bucket = '', ...key] = parsed.pathname.split('/')
  const onObject = key.join('/') !== ''
  const subresource = [...parsed.searchParams.keys()].find((k) => !['list-type', 'prefix', 'delimiter', 'max-keys', 'continuation-token', 'x-id', 'versionId'].includes(k))
  const verb = { GET: 'Get', PUT: 'Put', HEAD: 'Head', DELETE: 'Delete', POST: 'Post' }[method] ?? method
  if (!bucket) return 'ListBuckets'
  if (subresource) return `${verb}${onObject ? 'Object' : 'Bucket'}${capitalise(subresource)}`
  if (onObject) return `${verb}Object`
  if (method === 'GET') return parsed.searchParams.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects'
  if (method === 'PUT') return 'CreateBucket'
  return `${verb}Bucket`
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1)
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}
