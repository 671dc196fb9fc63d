// The shared spec-case table (test/spec-cases: Kubernetes Ingress docs, Gateway API spec and
// conformance semantics, hostile requests) run end to end on every runtime. The same table runs
// against the matcher alone in edge/src/route-table/spec-cases.test.ts.
import { inProcessApp } from './support/runtimes/app'
import { lambdaAtEdge } from './support/runtimes/lambda-edge'
import { lambdaEdge } from './support/runtimes/lambda'
import { nodeEdge } from './support/runtimes/node'
import { workersEdge } from './support/runtimes/workers'
import { describeSpecCases } from './support/spec-runner'

for (const driver of [inProcessApp, nodeEdge, workersEdge, lambdaEdge, lambdaAtEdge]) describeSpecCases(driver)
