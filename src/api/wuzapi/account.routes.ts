import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Services } from '../../services/index.js'

/** The account, contacts, privacy and blocklist: /user/* (the rest), /privacy/*, /blocklist*, /session/presence/config, Miauzap's /proxy/*. */
export const accountRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (_app, _opts) => {}
