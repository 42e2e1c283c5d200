import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { toBlocked, toMiauzapBlocklist } from './account.mapper.js'
import {
  Blocked,
  Bool,
  live,
  MiauzapBlocklist,
  OnePhone,
  PrivacyView,
  privacyTags,
  SetPrivacy,
  SetPrivacyAnswer,
  Str,
  userTags,
} from './account.schemas.js'
import { Envelope, ok } from './envelope.js'

/** Privacy settings and the blocklist: /user/privacy/settings, /privacy/*, Miauzap's /blocklist*. */
export const privacyRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { account } = services

  app.get(
    '/user/privacy/settings',
    {
      schema: {
        ...userTags,
        summary: 'Your privacy settings, as WhatsApp has them',
        response: { 200: Envelope(PrivacyView), ...live },
      },
    },
    async (req) => ok(await account.privacy(req.user!.id)),
  )

  app.get(
    '/privacy/settings',
    {
      schema: {
        ...privacyTags,
        summary: 'Your privacy settings (DIGIGO’s flat answer, also enveloped in data)',
        response: {
          200: Type.Object({
            code: Type.Integer(),
            success: Bool,
            privacy_settings: PrivacyView,
            data: PrivacyView,
          }),
          ...live,
        },
      },
    },
    async (req) => {
      const settings = await account.privacy(req.user!.id)
      return { code: 200, success: true, privacy_settings: settings, data: settings }
    },
  )

  app.post(
    '/privacy/settings',
    {
      schema: {
        ...privacyTags,
        summary: 'Change one privacy setting',
        body: SetPrivacy,
        response: { 200: SetPrivacyAnswer, ...live },
      },
    },
    async (req) => {
      const r = await account.setPrivacy(req.user!.id, req.body.setting, req.body.value)
      const message = `Privacy setting ${r.setting} updated to ${r.value}`
      const data = { setting: r.setting, value: r.value, privacy_settings: r.settings }
      return { code: 200, success: true, message, setting: r.setting, value: r.value, data }
    },
  )

  app.post(
    '/privacy/disappearing-timer',
    {
      schema: {
        ...privacyTags,
        summary: 'Default disappearing timer for new chats: 24h, 7d, 90d or off',
        body: Type.Object({ timer: Type.String({ 'x-aliases': ['duration'] }) }),
        response: {
          200: Type.Object({
            code: Type.Integer(),
            success: Bool,
            message: Str,
            timer: Str,
            seconds: Type.Integer({ description: 'Zapwire' }),
          }),
          ...live,
        },
      },
    },
    async (req) => {
      const r = await account.setDisappearingTimer(req.user!.id, req.body.timer)
      const message = `Default disappearing timer set to ${r.timer}`
      return { code: 200, success: true, message, timer: r.timer, seconds: r.seconds }
    },
  )

  app.get(
    '/privacy/status',
    {
      schema: {
        ...privacyTags,
        summary: 'Who sees your status updates',
        response: {
          200: Type.Object({ code: Type.Integer(), success: Bool, status_privacy: Str, description: Str }),
          ...live,
        },
      },
    },
    async (req) => {
      const settings = await account.privacy(req.user!.id)
      return {
        code: 200,
        success: true,
        status_privacy: settings.status,
        description: 'Status privacy setting (all, contacts, contact_blacklist, or none)',
      }
    },
  )

  app.get(
    '/privacy/blocklist',
    {
      schema: {
        ...privacyTags,
        summary: 'The accounts you blocked',
        response: { 200: Type.Object({ code: Type.Integer(), success: Bool, ...Blocked }), ...live },
      },
    },
    async (req) => ({ code: 200, success: true, ...toBlocked(await account.blocklist(req.user!.id)) }),
  )

  app.post(
    '/privacy/blocklist',
    {
      schema: {
        ...privacyTags,
        summary: 'Block or unblock accounts (phone numbers, JIDs or LIDs)',
        body: Type.Object({
          action: Type.Union([Type.Literal('block'), Type.Literal('unblock')]),
          users: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 100 }),
        }),
        response: {
          200: Type.Object({
            code: Type.Integer(),
            success: Bool,
            message: Str,
            action: Str,
            users: Type.Array(Str),
            jids: Type.Array(Type.Object({ jid: Str, lid: Str }), { description: 'Zapwire' }),
          }),
          ...live,
        },
      },
    },
    async (req) => {
      const r = await account.updateBlocklist(req.user!.id, req.body.action, req.body.users)
      return {
        code: 200,
        success: true,
        message: `Successfully ${r.action}ed ${r.users.length} contact(s)`,
        action: r.action,
        users: req.body.users,
        jids: r.users.map((u) => ({ jid: u.pn || u.lid, lid: u.lid })),
      }
    },
  )

  app.get(
    '/blocklist',
    {
      schema: {
        ...privacyTags,
        summary: 'The accounts you blocked (Miauzap)',
        response: { 200: Envelope(MiauzapBlocklist), ...live },
      },
    },
    async (req) => ok(toMiauzapBlocklist(await account.blocklist(req.user!.id))),
  )

  app.post(
    '/blocklist/update',
    {
      schema: {
        ...privacyTags,
        summary: 'Block or unblock one account (Miauzap)',
        body: Type.Object({
          Phone: OnePhone,
          Action: Type.Union([Type.Literal('block'), Type.Literal('unblock')], { 'x-aliases': ['type'] }),
        }),
        response: {
          200: Envelope(Type.Object({ Details: Str, JID: Str, LID: Str, Action: Str })),
          ...live,
        },
      },
    },
    async (req) => {
      const r = await account.updateBlocklist(req.user!.id, req.body.Action, [req.body.Phone])
      const who = r.users[0]!
      const Details = r.action === 'block' ? 'Blocked' : 'Unblocked'
      return ok({ Details, JID: who.pn || who.lid, LID: who.lid, Action: r.action })
    },
  )
}
