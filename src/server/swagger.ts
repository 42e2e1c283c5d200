import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'

export const API_TAGS = [
  { name: 'Admin', description: 'Users (instances), with the admin token' },
  { name: 'User', description: 'The calling user' },
  { name: 'Session', description: 'The WhatsApp connection of the calling user' },
  { name: 'System', description: 'Health, metrics' },
]

/** OpenAPI 3 from the routes' TypeBox schemas; JSON at /openapi.json, Swagger UI at /api. */
export async function registerSwagger(app: FastifyInstance, options: { version: string; basePath: string }) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Zapwire',
        version: options.version,
        description:
          'Self-hosted WhatsApp HTTP gateway. Speaks the wuzapi dialect (wuzapi, Miauzap, DIGIGO) and the ' +
          'Mega-api dialect. Request keys are matched ignoring case and underscores.',
      },
      tags: API_TAGS,
      components: {
        securitySchemes: {
          AdminAuth: {
            type: 'apiKey',
            in: 'header',
            name: 'Authorization',
            description: 'Admin token, with or without "Bearer "',
          },
          ApiKeyAuth: { type: 'apiKey', in: 'header', name: 'token', description: "The user's token" },
          BearerAuth: { type: 'http', scheme: 'bearer', description: "The user's token as a Bearer token" },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  })
  await app.register(swaggerUi, { routePrefix: `${options.basePath}/api` })
}
