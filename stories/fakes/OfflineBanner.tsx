import { useState } from 'react'

/** A stand-in for the browser's offline state in a story, with the button that ends it. */
export function OfflineBanner({ onBackOnline }: { onBackOnline: () => void }) {
  const [online, setOnline] = useState(false)
  return (
    <div
      className={`notice ${online ? 'notice-info' : 'notice-warning'}`}
      data-testid="offline-banner"
    >
      <div className="notice-title">{online ? 'Back online' : 'Browser offline'}</div>
      <p>
        {online
          ? 'The online event woke the client: it retried at once, without waiting for the backoff.'
          : 'Every request fails with NetworkError (simulated). Nothing is signed out.'}
      </p>
      {!online && (
        <div className="actions">
          <button
            className="button"
            onClick={() => {
              setOnline(true)
              onBackOnline()
            }}
          >
            Back online
          </button>
        </div>
      )}
    </div>
  )
}
