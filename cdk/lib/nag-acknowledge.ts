// cdk-nag v3 names each IAM wildcard finding by the flattened resource or action
// (`AwsSolutions-IAM5[Resource::<Bucket.Arn>/route-tables/*]`); acknowledging exactly
// those, not the whole rule, keeps any new wildcard an error.
import { Stack, Validations } from 'aws-cdk-lib'
import type { IConstruct } from 'constructs'
import flatten from 'cdk-nag/lib/utils/flatten-cfn-reference.js'

/** Acknowledges the IAM5 findings for these wildcard resource ARNs on `scope`'s policy. */
export function acknowledgeWildcardResources(scope: IConstruct, resourceArns: readonly string[], reason: string): void {
  const stack = Stack.of(scope)
  for (const arn of resourceArns) {
    Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flatten.flattenCfnReference(stack.resolve(arn))}]`, reason })
  }
}
