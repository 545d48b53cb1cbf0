'use client'
import { AuthProvider, cognitoTransport } from 'react-cognito-refresh'

const clientId = 'exampleclientid0000000001'
const options = { clientId, transport: cognitoTransport({ region: 'us-east-1', clientId }) }

export function Providers({ children }) {
  return <AuthProvider options={options}>{children}</AuthProvider>
}
