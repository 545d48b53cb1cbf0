import { register } from 'node:module'

register('./clientReferences.mjs', import.meta.url)
