import type { FastifyPluginAsync } from 'fastify'
import { authorizationValue } from '../../server/credentials.js'
import { AppError } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import { normalizeInput } from '../wuzapi/index.js'
import { chatRoutes } from './chat.routes.js'
import { megaapiError, megaapiErrorHandler } from './errors.js'
import { groupRoutes } from './group.routes.js'
import { instanceRoutes } from './instance.routes.js'
import { sendRoutes } from './send.routes.js'
import { webhookRoutes } from './webhook.routes.js'

/**
 * The Mega-api dialect under `/rest`: the instance key in the path picks the user, its token is
 * the Bearer credential; `{error, message, …}` bodies. A thin translation over the services.
 */
export const megaapiDialect: FastifyPluginAsync<{ services: Services }> = async (app, { services }) => {
  app.setErrorHandler(megaapiErrorHandler)
  app.setNotFoundHandler((req, reply) => {
    const { status, body } = megaapiError(new AppError('ROUTE_NOT_FOUND', 'route not found'), req.id)
    return reply.status(status).send(body)
  })
  app.addHook('preValidation', normalizeInput)
  app.addHook('onRequest', async (req) => {
    const key = (req.params as { instance_key?: string }).instance_key
    if (!key) throw new AppError('ROUTE_NOT_FOUND', 'route not found')
    req.user = await services.auth.requireInstance(key, authorizationValue(req))
  })
  await app.register(instanceRoutes, { services })
  await app.register(webhookRoutes, { services })
  await app.register(sendRoutes, { services })
  await app.register(chatRoutes, { services })
  await app.register(groupRoutes, { services })
}
