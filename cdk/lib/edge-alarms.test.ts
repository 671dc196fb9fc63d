import { App, Duration, Stack } from 'aws-cdk-lib'
import { Match, Template } from 'aws-cdk-lib/assertions'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import * as sns from 'aws-cdk-lib/aws-sns'
import { describe, it } from 'vitest'
import { EdgeAlarms, functionUrlErrorRate, functionUrlLatency } from './edge-alarms'

function build(props: { topic?: boolean; errorRateThreshold?: number; latencyThreshold?: Duration } = {}) {
  const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'eu-west-1' } })
  const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') })
  new EdgeAlarms(stack, 'Alarms', {
    errorRatePercent: functionUrlErrorRate(fn),
    latency: functionUrlLatency(fn),
    alarmTopic: props.topic ? sns.Topic.fromTopicArn(stack, 'Ops', 'arn:aws:sns:eu-west-1:123456789012:ops') : undefined,
    errorRateThreshold: props.errorRateThreshold,
    latencyThreshold: props.latencyThreshold,
  })
  return Template.fromStack(stack)
}

describe('EdgeAlarms', { timeout: 120_000 }, () => {
  it('alarms when more than 5% of function URL requests answer 5xx in 3 of 5 minutes', () => {
    build().hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: '100 * FILL(errors, 0) / requests', ReturnData: true }),
        Match.objectLike({ Id: 'errors', ReturnData: false, MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Url5xxCount', Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('^Fn') } }] }, Period: 60, Stat: 'Sum' } }),
        Match.objectLike({ Id: 'requests', ReturnData: false, MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'UrlRequestCount', Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('^Fn') } }] }, Period: 60, Stat: 'Sum' } }),
      ]),
    })
  })

  it('alarms when the p99 function URL latency exceeds 3 s', () => {
    build().hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'UrlRequestLatency',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('^Fn') } }],
      ExtendedStatistic: 'p99',
      Period: 60,
      Threshold: 3000,
      TreatMissingData: 'notBreaching',
    })
  })

  it('takes other thresholds', () => {
    const template = build({ errorRateThreshold: 1, latencyThreshold: Duration.millis(800) })
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 1, Metrics: Match.anyValue() })
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 800, MetricName: 'UrlRequestLatency' })
  })

  it('notifies the topic on alarm and on recovery', () => {
    const template = build({ topic: true })
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2)
    template.allResourcesProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: ['arn:aws:sns:eu-west-1:123456789012:ops'],
      OKActions: ['arn:aws:sns:eu-west-1:123456789012:ops'],
    })
  })

  it('has no actions without a topic', () => {
    build().allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: Match.absent() })
  })
})
