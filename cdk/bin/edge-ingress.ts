// `npx cdk synth|deploy`: reads the context (see docs/install-aws.md), validates it, and
// composes the edge stack and this cluster's controller-access stack, with cdk-nag's
// AWS Solutions checks run on both at every synth.
import { App, Validations } from 'aws-cdk-lib'
import { AwsSolutionsChecks } from 'cdk-nag'
import { composeApp } from '../lib/compose'
import { parseConfig, readContext } from '../lib/config'

const app = new App()
const config = parseConfig(readContext((key) => app.node.tryGetContext(key)), process.env)
// Acknowledged findings are also written into the templates (Metadata.cdk_nag): an audit trail.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }))
composeApp(app, config)
app.synth()
