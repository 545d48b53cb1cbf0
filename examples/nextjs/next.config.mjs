// The example is its own root: the library's checkout around it has another lockfile and another
// React in its node_modules, which must not be resolved from here.
export default {
  turbopack: { root: import.meta.dirname },
  outputFileTracingRoot: import.meta.dirname,
}
