import { render } from '@testing-library/react'
import { useState, version } from 'react'
import { version as domVersion } from 'react-dom'
import { describe, expect, it } from 'vitest'

describe('the React under test', () => {
  it('is the major this project expects (19 in dom, 18 in react18), for react and react-dom', () => {
    const major = process.env.EXPECTED_REACT_MAJOR
    expect(major).toMatch(/^1[89]$/)
    expect(version.split('.')[0]).toBe(major)
    expect(domVersion.split('.')[0]).toBe(major)
  })

  it('is the same React that @testing-library/react renders with (hooks would throw otherwise)', () => {
    function Hooked() {
      const [value] = useState('one react')
      return <p>{value}</p>
    }
    expect(render(<Hooked />).getByText('one react')).toBeTruthy()
  })
})
