import { useEffect, useState } from 'react'
import { useAuthClient } from 'react-cognito-refresh'

/**
 * When this tab's client will retry a failed refresh (epoch ms), from the last `refreshFailed`
 * event's `retryInMs`; undefined when no retry is announced. The snapshot says `retrying` but not
 * when, and the token's refresh window has usually passed by then, so the countdown needs this.
 */
export function useRetryAt(): number | undefined {
  const client = useAuthClient()
  const [retryAt, setRetryAt] = useState<number | undefined>(undefined)
  useEffect(() => {
    const clear = () => setRetryAt(undefined)
    const stops = [
      client.on('refreshFailed', (e) =>
        setRetryAt(e.willRetry && e.retryInMs !== undefined ? Date.now() + e.retryInMs : undefined),
      ),
      client.on('tokensRefreshed', clear),
      client.on('tokensAdopted', clear),
      client.on('signedOut', clear),
    ]
    return () => stops.forEach((stop) => stop())
  }, [client])
  return retryAt
}
