import { isAuthError } from '../core/errors'

/** TanStack's `retry` function shape. */
export type ShouldRetryFunction<TError = unknown> = (failureCount: number, error: TError) => boolean

/** What TanStack's `retry` option accepts (its own type is not exported by @tanstack/react-query). */
export type RetryValue<TError = unknown> = boolean | number | ShouldRetryFunction<TError>

function statusOf(error: unknown): number | undefined {
  if (typeof Response !== 'undefined' && error instanceof Response) return error.status
  if (typeof error !== 'object' || error === null) return undefined
  const e = error as { status?: unknown; response?: { status?: unknown } }
  if (typeof e.status === 'number') return e.status
  // ky's HTTPError, axios' AxiosError, and most fetch wrappers keep the response.
  if (typeof e.response?.status === 'number') return e.response.status
  return undefined
}

/**
 * Whether retrying cannot help: an `AuthError` that is not `retryable` (the session ended, no
 * session, a configuration problem), or an error that carries an HTTP 401 or 403 (as `status`,
 * `response.status`, or a thrown `Response`). `useAuthFetch` has already retried a 401 once with a
 * fresh token, so another attempt would only repeat it.
 */
export function isAuthFailure(error: unknown): boolean {
  if (isAuthError(error)) return error.kind !== 'retryable'
  const status = statusOf(error)
  return status === 401 || status === 403
}

/**
 * A TanStack `retry` function that never retries an auth failure ({@link isAuthFailure}) and
 * otherwise follows `retry`. Use it as a QueryClient default:
 * `new QueryClient({ defaultOptions: { queries: { retry: authRetry(3) } } })`.
 *
 * @param retry What to do with other errors: a count, a boolean, or a function. @default 3 (TanStack's default for queries)
 */
export function authRetry<TError = unknown>(
  retry: RetryValue<TError> = 3,
): ShouldRetryFunction<TError> {
  return (failureCount, error) => {
    if (isAuthFailure(error)) return false
    if (typeof retry === 'function') return retry(failureCount, error)
    if (typeof retry === 'number') return failureCount < retry
    return retry
  }
}
