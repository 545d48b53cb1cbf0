/**
 * `npm start`: the playground on the local emulator (or on a real pool when VITE_COGNITO_CLIENT_ID
 * is set). Prints the address and the demo credentials (public, never a token); Ctrl-C stops both
 * servers. PLAYGROUND_TOKEN_SECONDS sets the demo access-token lifetime (default 60).
 */
import { startPlayground, usesRealPool } from './server'

function numberFrom(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number.`)
  return value
}

async function main(): Promise<void> {
  const real = usesRealPool()
  const playground = await startPlayground({
    port: numberFrom('PORT', 5173),
    emulatorPort: numberFrom('EMULATOR_PORT', 9229),
    tokenSeconds: numberFrom('PLAYGROUND_TOKEN_SECONDS', 60),
  })
  const emu = playground.emulator
  const lines = ['', `  Playground   ${playground.url}`]
  if (emu !== undefined) {
    const client = emu.clients.find((c) => c.clientId === playground.clientId)
    lines.push(
      `  Emulator     ${emu.url}  (control: ${emu.url}/_emulator, for this page and Node only)`,
      `  App client   ${playground.clientId}: access token ${client?.accessTokenValiditySeconds ?? '?'} s, rotation on (grace ${client?.rotation.retryGracePeriodSeconds ?? '?'} s)`,
      `  Demo user    demo@example.com  /  Passw0rd!demo`,
    )
  } else if (real) {
    lines.push(
      `  User pool    client ${process.env.VITE_COGNITO_CLIENT_ID} in ${process.env.VITE_COGNITO_REGION ?? process.env.VITE_COGNITO_ENDPOINT ?? '?'} (no emulator started)`,
    )
  }
  lines.push('', '  Ctrl-C stops everything.', '')
  console.log(lines.join('\n'))

  let stopping = false
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    console.log(`\n${signal}: stopping the playground…`)
    // Exit even if a socket lingers: a hung close must not leave the terminal waiting.
    const force = setTimeout(() => process.exit(1), 5_000)
    force.unref()
    playground.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  process.once('SIGHUP', stop)
  // `npm start` runs us under a shell; a SIGTERM sent to npm alone ends npm and the shell but
  // not us. Noticing that our parent is gone keeps the servers from outliving the command.
  const parent = process.ppid
  setInterval(() => {
    if (process.ppid !== parent) stop('SIGTERM')
  }, 1_000).unref()
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error))
  process.exit(1)
})
