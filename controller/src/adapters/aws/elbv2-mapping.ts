// ELBv2 SDK shapes -> our port's types. Missing fields become explicit defaults so that
// the pure code never sees undefined where AWS always has a value.
import type { Listener, LoadBalancer, TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2'
import type { HealthCheck, ListenerDescription, LoadBalancerDescription, Scheme, TargetGroupDescription } from '../../ports/elbv2'

export function toLoadBalancer(lb: LoadBalancer): LoadBalancerDescription {
  const zones = lb.AvailabilityZones ?? []
  return {
    arn: lb.LoadBalancerArn ?? '',
    name: lb.LoadBalancerName ?? '',
    dnsName: lb.DNSName ?? '',
    scheme: (lb.Scheme ?? 'internet-facing') as Scheme,
    type: lb.Type ?? '',
    vpcId: lb.VpcId ?? '',
    state: lb.State?.Code ?? 'unknown',
    ipAddressType: lb.IpAddressType === 'dualstack' ? 'dualstack' : 'ipv4',
    subnetIds: zones.map((z) => z.SubnetId ?? '').filter(Boolean),
    allocationIds: zones.flatMap((z) => (z.LoadBalancerAddresses ?? []).map((a) => a.AllocationId ?? '')).filter(Boolean),
  }
}

export function toTargetGroup(tg: TargetGroup): TargetGroupDescription {
  const protocol = (tg.HealthCheckProtocol ?? 'TCP') as HealthCheck['protocol']
  return {
    arn: tg.TargetGroupArn ?? '',
    name: tg.TargetGroupName ?? '',
    protocol: tg.Protocol ?? '',
    port: tg.Port ?? 0,
    vpcId: tg.VpcId ?? '',
    targetType: tg.TargetType ?? 'instance',
    loadBalancerArns: tg.LoadBalancerArns ?? [],
    healthCheck: {
      protocol,
      port: tg.HealthCheckPort ?? 'traffic-port',
      path: protocol === 'TCP' ? null : (tg.HealthCheckPath ?? null),
      intervalSeconds: tg.HealthCheckIntervalSeconds ?? 0,
      timeoutSeconds: tg.HealthCheckTimeoutSeconds ?? 0,
      healthyThreshold: tg.HealthyThresholdCount ?? 0,
      unhealthyThreshold: tg.UnhealthyThresholdCount ?? 0,
    },
  }
}

export function toListener(l: Listener): ListenerDescription {
  const forward = (l.DefaultActions ?? []).filter((a) => a.Type === 'forward')
  const targetGroupArns = forward.flatMap((a) =>
    a.TargetGroupArn ? [a.TargetGroupArn] : (a.ForwardConfig?.TargetGroups ?? []).map((g) => g.TargetGroupArn ?? '').filter(Boolean),
  )
  return {
    arn: l.ListenerArn ?? '',
    loadBalancerArn: l.LoadBalancerArn ?? '',
    port: l.Port ?? 0,
    protocol: l.Protocol ?? '',
    certificateArn: l.Certificates?.[0]?.CertificateArn ?? null,
    sslPolicy: l.Protocol === 'TLS' ? (l.SslPolicy ?? null) : null,
    alpnPolicy: l.AlpnPolicy?.[0] ?? null,
    targetGroupArns: [...new Set(targetGroupArns)],
  }
}

export const toAttributeMap = (attributes: { Key?: string; Value?: string }[] | undefined): Record<string, string> =>
  Object.fromEntries((attributes ?? []).filter((a) => a.Key !== undefined).map((a) => [a.Key!, a.Value ?? '']))

export const fromAttributeMap = (attributes: Record<string, string>) => Object.entries(attributes).map(([Key, Value]) => ({ Key, Value }))

export const fromTags = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }))

export function healthCheckParams(h: HealthCheck) {
  return {
    HealthCheckEnabled: true,
    HealthCheckProtocol: h.protocol,
    HealthCheckPort: h.port,
    ...(h.path !== null && h.protocol !== 'TCP' ? { HealthCheckPath: h.path } : {}),
    HealthCheckIntervalSeconds: h.intervalSeconds,
    HealthCheckTimeoutSeconds: h.timeoutSeconds,
    HealthyThresholdCount: h.healthyThreshold,
    UnhealthyThresholdCount: h.unhealthyThreshold,
  }
}
