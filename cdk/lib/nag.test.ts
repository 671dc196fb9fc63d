// cdk-nag's AWS Solutions checks over every stack the app can produce: no finding may
// be left unacknowledged, and each acknowledgement carries a one-sentence reason.
import { Stack } from 'aws-cdk-lib'
import * as s3 from 'aws-cdk-lib/aws-s3'
import { describe, expect, it } from 'vitest'
import { synthWithNag, TEST_HANDLER } from '../test-support/synth'
import { composeApp } from './compose'
import { parseConfig, type RawContext } from './config'

const base: RawContext = { account: '123456789012', region: 'eu-west-1', clusterName: 'prod-eu' }
const variants: Record<string, RawContext> = {
  'function-url, defaults': base,
  'function-url in a VPC, custom domain, alarm topic': {
    ...base,
    vpcId: 'vpc-0123456789abcdef0',
    vpcSubnetIds: 'subnet-0aaaaaaaaaaaaaaaa,subnet-0bbbbbbbbbbbbbbbb',
    domainNames: 'shop.example.com',
    certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666',
    alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops',
  },
  'lambda-edge with a custom domain': {
    ...base,
    edgeMode: 'lambda-edge',
    domainNames: 'shop.example.com',
    certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666',
  },
  'IRSA instead of Pod Identity': { ...base, controllerIdentity: 'irsa', oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF' },
}

describe('cdk-nag AwsSolutionsChecks', { timeout: 120_000 }, () => {
  it.each(Object.entries(variants))('reports no unacknowledged finding: %s', (_, context) => {
    const { violations, acknowledgements } = synthWithNag((app) => composeApp(app, parseConfig(context), { routerEntry: TEST_HANDLER }))
    expect(violations).toEqual([])
    const ours = acknowledgements.filter((ack) => ack.id.startsWith('AwsSolutions-'))
    expect(ours.length).toBeGreaterThan(0)
    for (const ack of ours) expect(ack.reason, `${ack.id} at ${ack.path}`).toMatch(/^[A-Z][^\n]{30,}\.$/)
  })

  it('does report findings (the check is live): an unlogged bucket without TLS enforcement', () => {
    const { violations } = synthWithNag((app) => new s3.Bucket(new Stack(app, 'Bad'), 'Bucket'))
    expect(violations.map((violation) => violation.rule).sort()).toEqual(['AwsSolutions-S1', 'AwsSolutions-S10'])
  })
})
