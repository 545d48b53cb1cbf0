// The worker refresh mode in a Next.js build (Turbopack): test/bundlers/workerInApps.test.ts opens
// this page in Chromium and refreshes through the worker the build emitted.
import { Library } from './library'

export default function Page() {
  return <Library />
}
