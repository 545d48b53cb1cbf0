/**
 * The transport a refresh worker runs, as data: a worker cannot receive a function, so the tab
 * names the transport and its options, and the worker builds it. The built-in types are the
 * Cognito transports; a self-hosted worker adds its own (`serveRefreshWorker({ transports })`).
 */
import { AuthError } from '../core/errors'
import type { CognitoTransportOptions } from '../core/transports/cognito'
import type { InitiateAuthTransportOptions } from '../core/transports/initiateAuth'
import type { OAuth2TransportOptions } from '../core/transports/oauth2'
import type { Transport } from '../core/transports/types'

type Data<T> = Omit<T, 'fetch'>

export type WorkerTransportConfig =
  | ({ type: 'cognito' } & Data<CognitoTransportOptions>)
  | ({ type: 'initiateAuth' } & Data<Omit<InitiateAuthTransportOptions, 'username'>> & {
        username?: string
      })
  | ({ type: 'oauth2' } & Data<OAuth2TransportOptions>)
  /** A type a self-hosted worker registers; its options are whatever that builder reads. */
  | { type: string; [option: string]: unknown }

/** Builds a transport from its config, in the worker (or in the tab, when there is no worker). */
export type TransportBuilder = (config: WorkerTransportConfig) => Transport

/** One key per transport config, so two clients on different pools never share a flight. */
export function configKey(config: WorkerTransportConfig): string {
  return JSON.stringify(config, Object.keys(config).sort())
}

export function buildTransport(
  config: WorkerTransportConfig,
  builders: Readonly<Record<string, TransportBuilder | undefined>>,
): Transport {
  const build = Object.hasOwn(builders, config.type) ? builders[config.type] : undefined
  if (build === undefined) {
    throw new AuthError(
      'ConfigurationError',
      `The refresh worker has no transport of type "${String(config.type).slice(0, 40)}".`,
    )
  }
  return build(config)
}
