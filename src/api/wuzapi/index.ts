import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { authorizationValue, userToken } from '../../server/credentials.js'
import { keyNormalizer } from '../../server/normalize.js'
import type { Services } from '../../services/index.js'
import type { User } from '../../services/users.model.js'
import { adminInstancesRoutes } from './admin-instances.routes.js'
import { adminUsersRoutes } from './admin-users.routes.js'
import { businessRoutes } from './business.routes.js'
import { callsRoutes } from './calls.routes.js'
import { chatRoutes } from './chat.routes.js'
import { chatSettingsRoutes } from './chat-settings.routes.js'
import { communityRoutes } from './community.routes.js'
import { dashboardRoutes } from './dashboard.routes.js'
import { deliveriesRoutes } from './deliveries.routes.js'
import { devicesRoutes } from './devices.routes.js'
import { wuzapiErrorHandler } from './errors.js'
import { eventsRoutes } from './events.routes.js'
import { globalRoutes } from './global.routes.js'
import { groupRoutes } from './group.routes.js'
import { identityRoutes } from './identity.routes.js'
import { labelsRoutes } from './labels.routes.js'
import { lookupsRoutes } from './lookups.routes.js'
import { mediaRoutes } from './media.routes.js'
import { monitoringRoutes } from './monitoring.routes.js'
import { newsletterRoutes } from './newsletter.routes.js'
import { privacyRoutes } from './privacy.routes.js'
import { profileRoutes } from './profile.routes.js'
import { proxyRoutes } from './proxy.routes.js'
import { rabbitmqRoutes } from './rabbitmq.routes.js'
import { s3Routes } from './s3.routes.js'
import { sessionRoutes } from './session.routes.js'
import { sessionSettingsRoutes } from './session-settings.routes.js'
import { statusPostsRoutes } from './status-posts.routes.js'
import { syncRoutes } from './sync.routes.js'
import { userRoutes } from './user.routes.js'
import { webhookRoutes } from './webhook.routes.js'
import { wsRoutes } from './ws.routes.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated user, on user-token routes. */
    user: User | null
  }
}

/**
 * The wuzapi dialect (wuzapi, Miauzap, DIGIGO): its envelope, its auth, its key matching.
 * Handlers live in the route modules and call one service each.
 */
export const wuzapiDialect: FastifyPluginAsync<{ services: Services }> = async (app, { services }) => {
  app.setErrorHandler(wuzapiErrorHandler)
  app.addHook('preValidation', normalizeInput)
  app.decorateRequest('user', null)

  await app.register(async (admin) => {
    admin.addHook('onRequest', async (req) => services.auth.requireAdmin(authorizationValue(req)))
    await admin.register(adminUsersRoutes, { services })
    await admin.register(deliveriesRoutes, { services })
    await admin.register(globalRoutes, { services })
    await admin.register(adminInstancesRoutes, { services })
  })

  await app.register(wsRoutes, { services })
  await app.register(monitoringRoutes, { services })
  await app.register(dashboardRoutes, { services })

  await app.register(async (user) => {
    user.addHook('onRequest', async (req) => {
      req.user = await services.auth.requireUser(userToken(req))
    })
    await user.register(userRoutes, { services })
    await user.register(sessionRoutes, { services })
    await user.register(eventsRoutes, { services })
    await user.register(chatRoutes, { services })
    await user.register(chatSettingsRoutes, { services })
    await user.register(identityRoutes, { services })
    await user.register(webhookRoutes, { services })
    await user.register(sessionSettingsRoutes, { services })
    await user.register(rabbitmqRoutes, { services })
    await user.register(s3Routes, { services })
    await user.register(groupRoutes, { services })
    await user.register(communityRoutes, { services })
    await user.register(newsletterRoutes, { services })
    await user.register(lookupsRoutes, { services })
    await user.register(profileRoutes, { services })
    await user.register(privacyRoutes, { services })
    await user.register(proxyRoutes, { services })
    await user.register(callsRoutes, { services })
    await user.register(statusPostsRoutes, { services })
    await user.register(labelsRoutes, { services })
    await user.register(businessRoutes, { services })
    await user.register(devicesRoutes, { services })
    await user.register(syncRoutes, { services })
    await user.register(mediaRoutes, { services, fileLimit: 100 * 2 ** 20 })
  })
}

/** Matches keys case-insensitively to the route schema; a JSON body on GET counts as query. */
export async function normalizeInput(req: FastifyRequest) {
  const schema = req.routeOptions.schema
  if (req.method === 'GET' && isObject(req.body)) {
    req.query = { ...req.body, ...(req.query as object) }
  }
  if (schema?.body && isObject(req.body)) req.body = keyNormalizer(schema.body)(req.body)
  if (schema?.querystring && isObject(req.query)) req.query = keyNormalizer(schema.querystring)(req.query)
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
