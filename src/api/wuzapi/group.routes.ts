import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Services } from '../../services/index.js'

/** Groups and communities: /group/*, /community/*. */
export const groupRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (_app, _opts) => {}
