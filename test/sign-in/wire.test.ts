/**
 * Headless sign-in on a scripted wire (a fetch stand-in): what every request carries (ClientMetadata,
 * threat protection's UserContextData, the username Cognito named), and the replies the emulator
 * never gives: a challenge this flow does not answer, and a reply that is neither tokens nor a
 * challenge. Each ends in a typed error and a flow that can start again.
 */
import { describe, expect, it } from 'vitest'
import type { AuthClient } from '../../src/core/client/options'
import { createSignIn } from '../../src/sign-in/index'

const clientId = 'wireclient'
const noClient = { setSession: () => ({}) } as unknown as AuthClient

/** A fetch that answers each call with the next reply, and records the bodies. */
function scripted(...replies: Array<Record<string, unknown>>) {
  const bodies: Array<Record<string, unknown>> = []
  const fetch = async (_url: RequestInfo | URL, init?: RequestInit) => {
    bodies.push(JSON.parse(String(init?.body)) as Record<string, unknown>)
    const reply = replies.shift() ?? {}
    return new Response(JSON.stringify(reply), {
      status: '__type' in reply ? 400 : 200,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
    })
  }
  return { fetch: fetch as typeof globalThis.fetch, bodies }
}

describe('createSignIn on the wire', () => {
  it('sends ClientMetadata and UserContextData with every call, and answers as the user Cognito named', async () => {
    const wire = scripted(
      {
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: 's'.repeat(40),
        ChallengeParameters: { USER_ID_FOR_SRP: 'uuid-of-ada' },
      },
      { __type: 'CodeMismatchException', message: 'Invalid code received for user' },
    )
    const flow = createSignIn(noClient, {
      clientId,
      endpoint: 'http://cognito.test/',
      fetch: wire.fetch,
      clientMetadata: { app: 'web' },
      userContextData: (username) => `encoded-for-${username}`,
    })
    await flow.signIn({ username: 'ada@example.com', password: 'Passw0rd!' })
    await flow.submitCode('123456')
    expect(flow.getSnapshot()).toMatchObject({
      step: 'totpCode',
      username: 'uuid-of-ada',
      error: { code: 'CodeMismatchException' },
    })
    expect(wire.bodies[0]).toMatchObject({
      ClientMetadata: { app: 'web' },
      UserContextData: { EncodedData: 'encoded-for-ada@example.com' },
    })
    expect(wire.bodies[1]).toMatchObject({
      ClientMetadata: { app: 'web' },
      UserContextData: { EncodedData: 'encoded-for-uuid-of-ada' },
      ChallengeResponses: { USERNAME: 'uuid-of-ada', SOFTWARE_TOKEN_MFA_CODE: '123456' },
    })
  })

  it('a challenge it does not answer (CUSTOM_CHALLENGE) is a typed error, and the flow can start again', async () => {
    const wire = scripted(
      { ChallengeName: 'CUSTOM_CHALLENGE', Session: 's'.repeat(40), ChallengeParameters: {} },
      { AuthenticationResult: undefined },
    )
    const flow = createSignIn(noClient, {
      clientId,
      endpoint: 'http://cognito.test/',
      fetch: wire.fetch,
    })
    await flow.signIn({ username: 'ada', password: 'Passw0rd!' })
    expect(flow.getSnapshot().error).toMatchObject({ code: 'ConfigurationError', kind: 'fatal' })
    expect(flow.getSnapshot().error?.message).toContain('CUSTOM_CHALLENGE')
    await flow.signIn({ username: 'ada', password: 'Passw0rd!' })
    expect(flow.getSnapshot()).toMatchObject({ step: 'start', error: { code: 'InvalidResponse' } })
    expect(JSON.stringify(flow.getSnapshot().error)).not.toContain('Passw0rd!')
  })
})
