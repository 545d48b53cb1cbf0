/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** A real pool's region, e.g. eu-west-1 (the endpoint is derived from it). */
  readonly VITE_COGNITO_REGION?: string
  /** A public app client (no secret) with ALLOW_USER_PASSWORD_AUTH and ALLOW_REFRESH_TOKEN_AUTH. */
  readonly VITE_COGNITO_CLIENT_ID?: string
  /** Overrides the Cognito endpoint (the emulator's URL, or a proxy). */
  readonly VITE_COGNITO_ENDPOINT?: string
  /** An API that accepts the pool's access tokens, for the API and query panels. */
  readonly VITE_DEMO_API_URL?: string
}
