// The shared environment answers: the kube-apiserver serves the admin, moto serves EC2.
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2'
import { describe, expect, it } from 'vitest'
import { createAwsClients, createKubeClients } from '../../env/clients'
import { sharedEnvironment } from '../../env/shared-environment'

describe('shared test environment', () => {
  const env = sharedEnvironment()

  it('serves the Kubernetes API to the admin over TLS with the generated CA', async () => {
    const { core } = createKubeClients(env)
    const namespace = await core.readNamespace({ name: 'default' })
    expect(namespace.status?.phase).toBe('Active')
  })

  it('serves EC2 through moto to the real SDK', async () => {
    const { ec2 } = createAwsClients(env)
    const regions = await ec2.send(new DescribeRegionsCommand({}))
    expect(regions.Regions?.map((r) => r.RegionName)).toContain(env.region)
  })
})
