import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { toProxyView } from './account.mapper.js'
import { err, ProxyFields, ProxyView, proxyTags, Str } from './account.schemas.js'
import { Envelope, errorResponses, ok } from './envelope.js'

/** The account's proxy for WhatsApp connections (Miauzap): /proxy/config, /proxy/test. */
export const proxyRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { account } = services

  app.get(
    '/proxy/config',
    {
      schema: {
        ...proxyTags,
        summary: 'Your proxy for WhatsApp connections (Miauzap; password never shown)',
        response: { 200: Envelope(ProxyView), ...errorResponses },
      },
    },
    async (req) => ok(toProxyView(await account.proxyConfig(req.user!.id))),
  )

  app.put(
    '/proxy/config',
    {
      schema: {
        ...proxyTags,
        summary: 'Set your proxy for WhatsApp connections (used from the next connect)',
        body: Type.Object({
          ...ProxyFields,
          bypass_list: Type.Optional(
            Type.Array(Str, { description: 'hosts reached directly', 'x-aliases': ['bypass'] }),
          ),
        }),
        response: {
          200: Envelope(Type.Object({ message: Str, ...ProxyView.properties })),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const saved = await account.setProxyConfig(req.user!.id, {
        proxyUrl: req.body.proxy_url,
        username: req.body.username,
        password: req.body.password,
        bypass: req.body.bypass_list,
      })
      return ok({ message: 'Proxy configuration saved successfully', ...toProxyView(saved) })
    },
  )

  app.post(
    '/proxy/test',
    {
      schema: {
        ...proxyTags,
        summary:
          'Reach WhatsApp’s chat host (the test network’s in tests) through the proxy given; stores nothing',
        body: Type.Object(ProxyFields),
        response: {
          200: Envelope(
            Type.Object({
              message: Str,
              response_time: Str,
              target: Type.String({ description: 'Zapwire' }),
            }),
          ),
          ...errorResponses,
          ...err(503),
        },
      },
    },
    async (req) => {
      const { proxy_url, username, password } = req.body
      const r = await account.testProxy({ proxyUrl: proxy_url, username, password })
      const message = 'Proxy connection test successful'
      return ok({ message, response_time: `${r.responseTimeMs}ms`, target: r.target })
    },
  )
}
