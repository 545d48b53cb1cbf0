/**
 * The cross-tab and offline stories, rendered as Storybook composes them, on real timers: what
 * each story claims to show is what its clients do (the smoke test checks the built Storybook).
 */
import { composeStories } from '@storybook/react'
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import * as states from '../../stories/SessionStates.stories'
import * as twoTabs from '../../stories/TwoTabs.stories'

afterEach(() => cleanup())

const { BrowserOffline } = composeStories(states)
const { ReuseRecovered, DuringAFailure } = composeStories(twoTabs)

const text = () => document.body.textContent ?? ''

describe('stories', () => {
  it('browser offline: retries with a countdown, and back online retries at once', async () => {
    render(<BrowserOffline />)
    await screen.findByText('Retrying', {}, { timeout: 3_000 })
    expect(screen.getByTestId('refresh-countdown').textContent).toMatch(/^retry in \d/)
    expect(text()).toContain('NetworkError')
    // The backoff in stories is about a minute: only the online event can make this quick.
    fireEvent.click(screen.getByRole('button', { name: 'Back online' }))
    await screen.findByText('Idle', {}, { timeout: 3_000 })
    expect(screen.getByTestId('token-version').textContent).toBe('2')
  })

  it('reuse recovered: the tab that lost the race keeps the session with the successor', async () => {
    render(<ReuseRecovered />)
    const outcome = await screen.findByText(/recovered the successor/, {}, { timeout: 5_000 })
    expect(outcome.textContent).toContain('version 2')
    expect(text()).toContain('Tab 2 → RefreshTokenReuseException')
    expect(text()).not.toContain('Signed out')
    const versions = screen.getAllByTestId('token-version').map((v) => v.textContent)
    expect(versions).toEqual(['2', '2'])
  })

  it('two tabs during a failure: both stay signed in and nobody signs out', async () => {
    render(<DuringAFailure />)
    await screen.findByText(/Tab 1 → InternalErrorException/, {}, { timeout: 5_000 })
    await act(() => new Promise((resolve) => setTimeout(resolve, 1_200)))
    expect(screen.getAllByTestId('status-badge').map((b) => b.textContent)).toEqual([
      'Authenticated',
      'Authenticated',
    ])
    expect(text()).not.toContain('Signed out')
    expect(screen.getAllByText('Retrying').length).toBeGreaterThanOrEqual(1)
  })
})
