import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { toBot, toBotProfile, toResolvedLink } from './extras.mapper.js'
import {
  Bool,
  BotProfileView,
  BotView,
  Int,
  OrderAnswer,
  OrderBody,
  ResolvedLink,
  ref,
  responses,
  Str,
  security,
} from './extras.schemas.js'

const businessTags = { tags: ['Business'], security }

/** Business: /business/resolve-link, contact-qr, bots, bot-profiles, order/send. */
export const businessRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { extras } = services

  app.post(
    '/business/resolve-link',
    {
      schema: {
        ...businessTags,
        summary: 'Resolve a business message link (wa.me/message/<code>)',
        body: Type.Object({ business_link: Str({ minLength: 1, 'x-aliases': ['link', 'code'] }) }),
        response: responses(ResolvedLink, { 404: ref }),
      },
    },
    async (req) =>
      toResolvedLink(
        req.body.business_link,
        await extras.resolveBusinessLink(req.user!.id, req.body.business_link),
      ),
  )

  app.post(
    '/business/contact-qr',
    {
      schema: {
        ...businessTags,
        summary: 'Your contact QR link (https://wa.me/qr/<code>); `revoke` makes a new one',
        body: Type.Object({ phone: Str({ minLength: 1 }), revoke: Type.Optional(Bool) }),
        response: responses(
          Type.Object({ success: Bool, phone: Str(), qr_link: Str(), revoked_previous: Bool }),
        ),
      },
    },
    async (req) => {
      const revoke = req.body.revoke ?? false
      const qr_link = await extras.contactQr(req.user!.id, revoke)
      return { success: true, phone: req.body.phone, qr_link, revoked_previous: revoke }
    },
  )

  app.get(
    '/business/bots',
    {
      schema: {
        ...businessTags,
        summary: 'The AI bots WhatsApp offers this account',
        response: responses(Type.Object({ success: Bool, bots: Type.Array(BotView), count: Int })),
      },
    },
    async (req) => {
      const bots = (await extras.bots(req.user!.id)).map(toBot)
      return { success: true, bots, count: bots.length }
    },
  )

  app.post(
    '/business/bot-profiles',
    {
      schema: {
        ...businessTags,
        summary: 'Profiles of bots (name, description, commands)',
        body: Type.Object({
          bot_jids: Type.Array(Str({ minLength: 1 }), { minItems: 1, maxItems: 100, 'x-aliases': ['jids'] }),
        }),
        response: responses(Type.Object({ success: Bool, profiles: Type.Array(BotProfileView), count: Int })),
      },
    },
    async (req) => {
      const profiles = (await extras.botProfiles(req.user!.id, req.body.bot_jids)).map(toBotProfile)
      return { success: true, profiles, count: profiles.length }
    },
  )

  app.post(
    '/business/order/send',
    {
      schema: {
        ...businessTags,
        summary: 'Send an order message',
        body: OrderBody,
        response: responses(OrderAnswer),
      },
    },
    async (req) => {
      const items = req.body.items.map((i) => ({ ...i, imageUrl: i.image_url }))
      const r = await extras.sendOrder(req.user!.id, req.body.phone, items, req.body.notes)
      return {
        success: true,
        message: 'Order message sent successfully',
        phone: req.body.phone,
        order_id: r.orderId,
        items_count: r.itemsCount,
        total_amount: r.total,
        message_id: r.id,
      }
    },
  )
}
