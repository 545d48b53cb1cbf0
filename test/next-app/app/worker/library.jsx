'use client'
import { useEffect, useState } from 'react'
import { createAuthClient } from 'react-cognito-refresh'
import { refreshWorker } from 'react-cognito-refresh/worker'

export function Library() {
  const [status, setStatus] = useState('loading')
  useEffect(() => {
    window.rcrLibrary = { createAuthClient, refreshWorker }
    setStatus('ready')
  }, [])
  return <p id="status">{status}</p>
}
