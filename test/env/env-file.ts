// The `env` file of env:up: plain KEY=value shell lines (also readable as a dotenv file).
import type { EnvironmentInfo } from './environment'

export function renderEnvFile(info: EnvironmentInfo, kubeconfigPath: string): string {
  const values: Record<string, string> = {
    KUBECONFIG: kubeconfigPath,
    AWS_ENDPOINT_URL: info.motoUrl,
    AWS_REGION: info.region,
    AWS_ACCESS_KEY_ID: info.awsAccessKeyId,
    AWS_SECRET_ACCESS_KEY: info.awsSecretAccessKey,
  }
  return Object.entries(values).map(([key, value]) => `${key}=${shellQuote(value)}\n`).join('')
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`
}
