// The app is its own root: the library's checkout around it has another lockfile, and its
// node_modules (another React) must not be resolved from here. RCR_NEXT_DIST_DIR lets the test
// build the same app with webpack beside the Turbopack build.
export default {
  turbopack: { root: import.meta.dirname },
  outputFileTracingRoot: import.meta.dirname,
  distDir: process.env.RCR_NEXT_DIST_DIR || '.next',
}
