// The two alarms an operator of the edge needs first: too many 5xx answers and slow
// answers. Each mode supplies its own metrics (function URL or CloudFront).
import { Duration } from 'aws-cdk-lib'
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront'
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch'
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions'
import type * as sns from 'aws-cdk-lib/aws-sns'
import { Construct } from 'constructs'

export interface EdgeAlarmsProps {
  /** Percentage (0-100) of requests answered with a 5xx status. */
  readonly errorRatePercent: cloudwatch.IMetric
  /** Latency metric, in milliseconds, at the statistic to alarm on (e.g. p99). */
  readonly latency: cloudwatch.IMetric
  /**
   * 5xx percentage that raises the alarm.
   * @default 5
   */
  readonly errorRateThreshold?: number
  /**
   * Latency that raises the alarm.
   * @default Duration.seconds(3)
   */
  readonly latencyThreshold?: Duration
  /**
   * Number of the last 5 one-minute periods that must breach.
   * @default 3
   */
  readonly datapointsToAlarm?: number
  /**
   * Topic notified on alarm and on recovery.
   * @default - no notification
   */
  readonly alarmTopic?: sns.ITopic
}

export class EdgeAlarms extends Construct {
  readonly errorRate: cloudwatch.Alarm
  readonly latency: cloudwatch.Alarm

  constructor(scope: Construct, id: string, props: EdgeAlarmsProps) {
    super(scope, id)
    const common = {
      evaluationPeriods: 5,
      datapointsToAlarm: props.datapointsToAlarm ?? 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      // No traffic is not an outage of the edge.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }
    this.errorRate = new cloudwatch.Alarm(this, 'ErrorRate', {
      ...common,
      metric: props.errorRatePercent,
      threshold: props.errorRateThreshold ?? 5,
      alarmDescription: 'More than the allowed share of edge requests answered 5xx (gateway down, timeouts, or a bad route table).',
    })
    this.latency = new cloudwatch.Alarm(this, 'Latency', {
      ...common,
      metric: props.latency,
      threshold: (props.latencyThreshold ?? Duration.seconds(3)).toMilliseconds(),
      alarmDescription: 'Edge answers are slower than the allowed latency (slow gateways or cold starts).',
    })
    if (props.alarmTopic) {
      for (const alarm of [this.errorRate, this.latency]) {
        alarm.addAlarmAction(new actions.SnsAction(props.alarmTopic))
        alarm.addOkAction(new actions.SnsAction(props.alarmTopic))
      }
    }
  }
}

/** 5xx percentage of a function URL, from its request and 5xx counts. */
export function functionUrlErrorRate(fn: { metric(name: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric }): cloudwatch.IMetric {
  const period = Duration.minutes(1)
  return new cloudwatch.MathExpression({
    expression: '100 * FILL(errors, 0) / requests',
    usingMetrics: {
      errors: fn.metric('Url5xxCount', { statistic: cloudwatch.Stats.SUM, period }),
      requests: fn.metric('UrlRequestCount', { statistic: cloudwatch.Stats.SUM, period }),
    },
    label: 'Function URL 5xx %',
    period,
  })
}

/** p99 latency of a function URL. */
export function functionUrlLatency(fn: { metric(name: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric }): cloudwatch.IMetric {
  return fn.metric('UrlRequestLatency', { statistic: cloudwatch.Stats.p(99), period: Duration.minutes(1) })
}

// CloudFront publishes distribution metrics in us-east-1 with the dimensions
// DistributionId and Region=Global; the L2 metric helpers omit Region, and an alarm on
// a different dimension set never receives data (aws/aws-cdk#19245).
function cloudFrontMetric(distribution: cloudfront.IDistribution, metricName: string, statistic: string): cloudwatch.IMetric {
  return new cloudwatch.Metric({
    namespace: 'AWS/CloudFront',
    metricName,
    dimensionsMap: { DistributionId: distribution.distributionId, Region: 'Global' },
    statistic,
    period: Duration.minutes(1),
  })
}

/** 5xx percentage CloudFront reports for a distribution (lambda-edge mode). */
export function distributionErrorRate(distribution: cloudfront.IDistribution): cloudwatch.IMetric {
  return cloudFrontMetric(distribution, '5xxErrorRate', cloudwatch.Stats.AVERAGE)
}

/** p99 time CloudFront waits for the gateways (needs the distribution's additional metrics). */
export function distributionOriginLatency(distribution: cloudfront.IDistribution): cloudwatch.IMetric {
  return cloudFrontMetric(distribution, 'OriginLatency', cloudwatch.Stats.p(99))
}
