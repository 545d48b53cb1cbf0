// The app is its own root: the library's checkout around it has another lockfile, and its
// node_modules (another React) must not be resolved from here.
export default {
  turbopack: { root: import.meta.dirname },
  outputFileTracingRoot: import.meta.dirname,
}
