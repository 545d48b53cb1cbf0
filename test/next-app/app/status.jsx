'use client'
import { useAuthState } from 'react-cognito-refresh'

export function Status() {
  const status = useAuthState((s) => s.status)
  return <p id="status">status: {status}</p>
}
