// The emulator's users for the playground's "your own form" card, one per kind of challenge; the
// server (playground/server.ts) creates them, the card names them. Test values, never real ones.

export const challengePassword = 'Passw0rd!demo'
/** The demo authenticator's base32 secret. */
export const demoTotpSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'

export const challengeUsers = [
  {
    username: 'totp@example.com',
    what: 'an authenticator app',
    attributes: { email: 'totp@example.com' },
    mfa: { totpSecret: demoTotpSecret },
  },
  {
    username: 'email@example.com',
    what: 'an email code',
    attributes: { email: 'email@example.com' },
    mfa: { email: true },
  },
  {
    username: 'new@example.com',
    what: 'a new password',
    attributes: { email: 'new@example.com' },
    status: 'FORCE_CHANGE_PASSWORD' as const,
  },
]
