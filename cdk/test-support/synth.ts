// Test helpers: synthesize an app with cdk-nag's AWS Solutions checks and read back
// what CDK's policy validation reported, plus every acknowledgement and its reason.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App, Validations } from 'aws-cdk-lib'
import { AwsSolutionsChecks } from 'cdk-nag'

export const TEST_HANDLER = new URL('../testdata/handler.ts', import.meta.url).pathname

export interface Violation { readonly rule: string; readonly path: string; readonly severity: string }
export interface Acknowledgement { readonly id: string; readonly reason: string; readonly path: string }

interface Report {
  pluginReports: { pluginName: string; violations: { ruleName: string; severity: string; violatingConstructs: { constructPath: string }[] }[] }[]
}

/** Builds stacks into a fresh app with AwsSolutionsChecks, synthesizes, and returns the findings. */
export function synthWithNag(build: (app: App) => void): { violations: Violation[]; acknowledgements: Acknowledgement[] } {
  const outdir = mkdtempSync(join(tmpdir(), 'edge-ingress-cdk-'))
  try {
    const app = new App({ outdir })
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app))
    build(app)
    try {
      app.synth()
    } catch (error) {
      if (!String(error).includes('ValidationFailed')) throw error
    }
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as Report
    const violations = report.pluginReports.flatMap((plugin) => plugin.violations.flatMap((violation) =>
      violation.violatingConstructs.map((construct) => ({ rule: violation.ruleName, path: construct.constructPath, severity: violation.severity }))))
    const acknowledgements = app.node.findAll().flatMap((node) => node.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => ({ id: id.replace(/^[^:]*::/, ''), reason, path: node.node.path })))
    return { violations, acknowledgements }
  } finally {
    rmSync(outdir, { recursive: true, force: true })
  }
}
