// Port to the few EC2 reads the controller needs: subnets for new load balancers.

export interface SubnetDescription {
  id: string
  vpcId: string
  availabilityZone: string
  tags: Record<string, string>
}

export interface SubnetApi {
  /** Subnets by id ("subnet-...") or by Name tag; unknown ones are left out. */
  findSubnets(idsOrNames: string[]): Promise<SubnetDescription[]>
  /** Subnets tagged for load balancers of this cluster: kubernetes.io/role/elb (or internal-elb). */
  discoverSubnets(clusterName: string, internal: boolean): Promise<SubnetDescription[]>
}
