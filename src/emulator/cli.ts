#!/usr/bin/env node
/**
 * `npm run emulator` / `react-cognito-refresh-emulator`: starts the emulator and prints how to
 * use it. Prints the demo password (it is public) but never a token or a client secret.
 */
import { parseArgs } from 'node:util'
import { type EmulatorOptions, loadConfigFile } from './config'
import { startEmulator, type Emulator } from './index'

const usage = `Usage: react-cognito-refresh-emulator [--port 9229] [--host 127.0.0.1] [--config file.json] [--seed 1] [--control-origin http://127.0.0.1:5173] [--verbose]

  --port            port to listen on (default 9229; 0 picks a free one)
  --host            interface to bind (default 127.0.0.1)
  --config          JSON file with emulator options (userPoolId, users, clients, behaviour, faults)
  --seed            seed for random fault decisions
  --control-origin  a page origin that may use /_emulator from the browser (repeatable)
  --verbose         log one line per request: method, path, operation, status, outcome (never token material)`

function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`Invalid --port ${value}`)
  return port
}

function describe(emu: Emulator, options: EmulatorOptions): string {
  const lines = [
    `Cognito emulator listening on ${emu.url}`,
    `  user pool   ${emu.userPoolId} (region ${emu.region})`,
    `  issuer      ${emu.issuer}`,
    `  JWKS        ${emu.jwksUri}`,
    `  token       ${emu.tokenEndpoint}`,
    `  demo API    ${emu.demoApiUrl}`,
    `  control     ${emu.url}/_emulator (stats, faults, reset, users, sign-in)`,
    '',
    'App clients:',
  ]
  for (const c of emu.clients) {
    const rotation = c.rotation.enabled
      ? `rotation ON (grace ${c.rotation.retryGracePeriodSeconds} s)`
      : 'rotation off'
    const secret = c.clientSecret === undefined ? 'public' : 'confidential (secret in your config)'
    lines.push(
      `  ${c.clientId}  ${c.clientName}: ${rotation}, ${secret}, access token ${c.accessTokenValiditySeconds} s`,
    )
    lines.push(`    flows: ${c.explicitAuthFlows.join(', ')}`)
  }
  lines.push('', 'Users:')
  const configured = options.users
  if (configured === undefined) {
    lines.push('  demo@example.com  password: Passw0rd!demo')
  } else {
    for (const user of configured)
      lines.push(`  ${user.username}${user.enabled === false ? ' (disabled)' : ''}`)
  }
  const first = emu.clients[0]?.clientId ?? '<clientId>'
  const classic =
    emu.clients.find((c) => c.explicitAuthFlows.includes('ALLOW_REFRESH_TOKEN_AUTH'))?.clientId ??
    '<a client with ALLOW_REFRESH_TOKEN_AUTH>'
  lines.push(
    '',
    'Use it:',
    `  AWS SDK v3:  new CognitoIdentityProviderClient({ region: '${emu.region}', endpoint: '${emu.url}' })`,
    `  this library: cognitoTransport({ clientId: '${first}', endpoint: '${emu.url}' })`,
    `  amazon-cognito-identity-js: new CognitoUserPool({ UserPoolId: '${emu.userPoolId}', ClientId: '${classic}', endpoint: '${emu.url}' })`,
    `  faults:      curl -X POST ${emu.url}/_emulator/faults -H 'content-type: application/json' -d '{"throttleRate":0.5}'`,
    '',
    'Ctrl+C stops it.',
  )
  return lines.join('\n')
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      config: { type: 'string' },
      seed: { type: 'string' },
      'control-origin': { type: 'string', multiple: true },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) {
    console.log(usage)
    return
  }
  const fromFile = values.config === undefined ? {} : loadConfigFile(values.config)
  const options: EmulatorOptions = {
    ...fromFile,
    port: parsePort(values.port, fromFile.port ?? 9229),
    host: values.host ?? fromFile.host ?? '127.0.0.1',
    ...(values.seed !== undefined && { seed: Number(values.seed) }),
    ...(values['control-origin'] !== undefined && {
      controlOrigins: [...(fromFile.controlOrigins ?? []), ...values['control-origin']],
    }),
    ...(values.verbose && { log: (line: string) => console.log(`[emulator] ${line}`) }),
  }
  const emu = await startEmulator(options)
  console.log(describe(emu, options))
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`\n${signal}: stopping the emulator…`)
    emu.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.once('SIGINT', () => stop('SIGINT'))
  process.once('SIGTERM', () => stop('SIGTERM'))
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error))
  process.exit(1)
})
