// GatewayClass SupportedVersion from the Gateway API CRD bundle version installed in the
// cluster (the `gateway.networking.k8s.io/bundle-version` annotation of the CRDs). The
// compiler reads the v1 API as of v1.6; any v1.x bundle serves those types. Null (no
// condition written) when the version could not be read.
import { condition } from '../conditions'
import type { Condition } from '../results'

export const BUILT_AGAINST = 'v1.6.1'

export function supportedVersionCondition(bundleVersion: string | null): Condition | null {
  if (bundleVersion === null) return null
  const match = /^v(\d+)\.(\d+)(?:\.\d+)?(?:-[0-9A-Za-z.-]+)?$/.exec(bundleVersion.trim())
  const supported = match !== null && match[1] === '1'
  return supported
    ? condition('SupportedVersion', true, 'SupportedVersion', `Gateway API ${bundleVersion} is supported (built against ${BUILT_AGAINST})`, 0)
    : condition('SupportedVersion', false, 'UnsupportedVersion', `Gateway API CRD bundle version "${bundleVersion}" is not supported; install a v1.x release (built against ${BUILT_AGAINST})`, 0)
}
