// The target group attributes a Service may set (NLB instance targets), each with its
// value rule and the ELBv2 default, so a value can be compared with what AWS reports.
import { boolean, integerIn, InvalidValue, oneOf, type Parser } from './values'

const asString =
  <T>(parse: Parser<T>): Parser<string> =>
  (raw) =>
    String(parse(raw))

export const targetGroupAttributeRules: Record<string, { parse: Parser<string>; awsDefault: string }> = {
  'deregistration_delay.timeout_seconds': { parse: asString(integerIn(0, 3600)), awsDefault: '300' },
  'deregistration_delay.connection_termination.enabled': { parse: asString(boolean), awsDefault: 'false' },
  'proxy_protocol_v2.enabled': { parse: asString(boolean), awsDefault: 'false' },
  'preserve_client_ip.enabled': { parse: asString(boolean), awsDefault: 'true' },
  'stickiness.enabled': { parse: asString(boolean), awsDefault: 'false' },
  'stickiness.type': { parse: oneOf('source_ip'), awsDefault: 'source_ip' },
  'target_health_state.unhealthy.connection_termination.enabled': { parse: asString(boolean), awsDefault: 'true' },
  'load_balancing.cross_zone.enabled': {
    parse: oneOf('true', 'false', 'use_load_balancer_configuration'),
    awsDefault: 'use_load_balancer_configuration',
  },
}

/** Attributes the controller always manages, so removing them from the annotation reverts them. */
export const alwaysManagedTargetGroupAttributes = ['deregistration_delay.timeout_seconds', 'proxy_protocol_v2.enabled']

export function validateTargetGroupAttributes(attributes: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(attributes)) {
    const rule = targetGroupAttributeRules[key]
    if (!rule) throw new InvalidValue(`unknown attribute "${key}" (known: ${Object.keys(targetGroupAttributeRules).join(', ')})`)
    try {
      out[key] = rule.parse(value)
    } catch (error) {
      throw new InvalidValue(`${key} ${(error as Error).message}`)
    }
  }
  return out
}
