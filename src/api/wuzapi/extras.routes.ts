import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Services } from '../../services/index.js'

/** Calls, status posts, labels, business, devices and sync: /call/*, /status/send/*, /label/*, /business/*, /device/*, /sync/*. */
export const extrasRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (_app, _opts) => {}
