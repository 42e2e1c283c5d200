import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Services } from '../../services/index.js'

/** Admin: /admin/instances/status and /admin/license/info. */
export const adminInstancesRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  _app,
  _opts,
) => {}
