// SubnetApi on the AWS SDK's EC2 client.
import { DescribeSubnetsCommand, EC2Client, type Filter, type Subnet } from '@aws-sdk/client-ec2'
import type { SubnetApi, SubnetDescription } from '../../ports/ec2'
import type { AwsCaller } from './aws-caller'

export class Ec2Adapter implements SubnetApi {
  constructor(
    private readonly client: EC2Client,
    private readonly caller: AwsCaller,
  ) {}

  async findSubnets(idsOrNames: string[]): Promise<SubnetDescription[]> {
    const ids = idsOrNames.filter((s) => s.startsWith('subnet-'))
    const names = idsOrNames.filter((s) => !s.startsWith('subnet-'))
    const found: SubnetDescription[] = []
    if (ids.length > 0) found.push(...(await this.describe([{ Name: 'subnet-id', Values: ids }])))
    if (names.length > 0) found.push(...(await this.describe([{ Name: 'tag:Name', Values: names }])))
    return found
  }

  discoverSubnets(clusterName: string, internal: boolean): Promise<SubnetDescription[]> {
    return this.describe([
      { Name: 'tag-key', Values: [internal ? 'kubernetes.io/role/internal-elb' : 'kubernetes.io/role/elb'] },
      { Name: 'tag-key', Values: [`kubernetes.io/cluster/${clusterName}`] },
    ])
  }

  private async describe(filters: Filter[]): Promise<SubnetDescription[]> {
    const out: SubnetDescription[] = []
    let token: string | undefined
    do {
      const page = await this.caller.call('ec2', 'DescribeSubnets', (abortSignal) => this.client.send(new DescribeSubnetsCommand({ Filters: filters, NextToken: token }), { abortSignal }))
      out.push(...(page.Subnets ?? []).map(toSubnet))
      token = page.NextToken
    } while (token)
    return out
  }
}

const toSubnet = (s: Subnet): SubnetDescription => ({
  id: s.SubnetId ?? '',
  vpcId: s.VpcId ?? '',
  availabilityZone: s.AvailabilityZone ?? '',
  tags: Object.fromEntries((s.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
})
