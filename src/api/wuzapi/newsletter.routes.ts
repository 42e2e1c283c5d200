import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Services } from '../../services/index.js'

/** Newsletters (channels): /newsletter/*. */
export const newsletterRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (_app, _opts) => {}
