// Service annotations -> LoadBalancerSettings, driven by the annotation table. Never
// throws: every bad value becomes an AnnotationError the user sees in an Event and a
// status condition.
import { defaultSettings, type LoadBalancerSettings } from './settings'
import { annotationTable } from './table'

export interface AnnotationError {
  key: string
  value: string
  message: string
}

export interface ParsedAnnotations {
  settings: LoadBalancerSettings
  errors: AnnotationError[]
}

export function parseAnnotations(annotations: Record<string, string> = {}): ParsedAnnotations {
  const settings: Record<string, unknown> = { ...defaultSettings }
  const errors: AnnotationError[] = []
  for (const row of annotationTable) {
    let chosen: { key: string; value: unknown } | undefined
    for (const source of row.sources) {
      const raw = annotations[source.key]
      if (raw === undefined) continue
      let value: unknown
      try {
        value = source.parse(raw)
      } catch (error) {
        errors.push({ key: source.key, value: raw, message: (error as Error).message })
        continue
      }
      if (!chosen) chosen = { key: source.key, value }
      else if (JSON.stringify(chosen.value) !== JSON.stringify(value))
        errors.push({ key: source.key, value: raw, message: `conflicts with ${chosen.key}; set only one of them` })
    }
    if (chosen) settings[row.setting] = chosen.value
  }
  const parsed = settings as unknown as LoadBalancerSettings
  errors.push(...crossFieldErrors(parsed, annotations))
  return { settings: parsed, errors }
}

/** The annotation a setting was read from (its first source that is set), for messages. */
export function annotationKeyOf(setting: keyof LoadBalancerSettings, annotations: Record<string, string>): string {
  return annotationTable.find((r) => r.setting === setting)!.sources.find((src) => annotations[src.key] !== undefined)?.key ?? setting
}

function crossFieldErrors(s: LoadBalancerSettings, annotations: Record<string, string>): AnnotationError[] {
  const keyOf = (setting: keyof LoadBalancerSettings) => annotationKeyOf(setting, annotations)
  const errors: AnnotationError[] = []
  const add = (setting: keyof LoadBalancerSettings, message: string) => {
    const key = keyOf(setting)
    errors.push({ key, value: annotations[key] ?? '', message })
  }
  if (s.eipAllocations && s.scheme !== 'internet-facing') add('eipAllocations', 'Elastic IPs need an internet-facing load balancer')
  if (s.eipAllocations && s.subnets && s.eipAllocations.length !== s.subnets.length)
    add('eipAllocations', `needs one allocation per subnet (${s.subnets.length} subnets, ${s.eipAllocations.length} allocations)`)
  if (s.healthCheckTimeout !== null && s.healthCheckInterval !== null && s.healthCheckTimeout > s.healthCheckInterval)
    add('healthCheckTimeout', `must not exceed the health check interval (${s.healthCheckInterval})`)
  if (s.sslPorts && s.sslCertificates.length === 0) add('sslPorts', 'needs a certificate (ssl-cert)')
  return errors
}
