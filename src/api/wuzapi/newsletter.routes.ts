import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { toAdminInvite, toInfo, toPost, toRaw, toSummary } from './newsletter.mapper.js'
import {
  AdminInviteAnswer,
  AdminInviteBody,
  Count,
  Done,
  Jid,
  Post,
  Raw,
  responses,
  SendBody,
  ServerId,
  Summary,
  security,
  tags,
} from './newsletter.schemas.js'

/** Newsletters (channels): /newsletter/*, answered in DIGIGO's flat shapes. */
export const newsletterRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { newsletters } = services

  app.get(
    '/newsletter/list',
    {
      schema: {
        tags,
        security,
        summary: 'The channels you follow or administer, as WhatsApp describes them',
        response: responses(Type.Object({ Newsletter: Type.Array(Raw) })),
      },
    },
    async (req) => ({ Newsletter: (await newsletters.subscribed(req.user!.id)).map(toRaw) }),
  )

  app.get(
    '/newsletter/subscribed',
    {
      schema: {
        tags,
        security,
        summary: 'The channels you follow or administer',
        response: responses(
          Type.Object({ success: Type.Boolean(), newsletters: Type.Array(Type.Object(Summary)) }),
        ),
      },
    },
    async (req) => ({
      success: true,
      newsletters: (await newsletters.subscribed(req.user!.id)).map(toSummary),
    }),
  )

  app.post(
    '/newsletter/create',
    {
      schema: {
        tags,
        security,
        summary: 'Create a channel (name truncated to 25 characters; picture as data URL or URL)',
        body: Type.Object({
          name: Type.String(),
          description: Type.Optional(Type.String({ maxLength: 2048 })),
          picture: Type.Optional(Type.String()),
        }),
        response: responses(
          Type.Object({
            success: Type.Boolean(),
            jid: Type.String(),
            name: Type.String(),
            invite_code: Type.String(),
            message: Type.String(),
          }),
        ),
      },
    },
    async (req) => {
      const m = await newsletters.create(req.user!.id, req.body)
      const message = 'Newsletter created successfully'
      return { success: true, jid: m.jid, name: m.name.text, invite_code: m.invite, message }
    },
  )

  app.post(
    '/newsletter/info',
    {
      schema: {
        tags,
        security,
        summary: 'A channel’s name, description, subscribers, invite code and your role',
        body: Type.Object({ jid: Jid }),
        response: responses(
          Type.Object({
            ...Summary,
            creation_time: Type.Integer(),
            verification: Type.String(),
            state: Type.String(),
          }),
        ),
      },
    },
    async (req) => toInfo(await newsletters.info(req.user!.id, req.body.jid)),
  )

  app.post(
    '/newsletter/send',
    {
      schema: {
        tags,
        security,
        summary: 'Post to a channel you own or administer: text, image, video, document or audio (as PTT)',
        body: SendBody,
        response: responses(
          Type.Object({ success: Type.Boolean(), id: Type.String(), timestamp: Type.Integer() }),
        ),
      },
    },
    async (req) => ({ success: true, ...(await newsletters.send(req.user!.id, req.body)) }),
  )

  const followRoute = (path: string, follow: boolean) =>
    app.post(
      path,
      {
        schema: {
          tags,
          security,
          summary: follow ? 'Follow a channel' : 'Unfollow a channel',
          body: Type.Object({ jid: Jid }),
          response: responses(Done),
        },
      },
      async (req) => {
        await newsletters.follow(req.user!.id, req.body.jid, follow)
        return { success: true, message: follow ? 'Subscribed successfully' : 'Unsubscribed successfully' }
      },
    )
  followRoute('/newsletter/follow', true)
  followRoute('/newsletter/unfollow', false)

  const inviteRoute = (path: string, follow: boolean) =>
    app.post(
      path,
      {
        schema: {
          tags,
          security,
          summary: follow ? 'Follow a channel by its invite code' : 'Unfollow a channel by its invite code',
          body: Type.Object({
            invite_code: Type.String({ minLength: 1, 'x-aliases': ['code', 'invite'] }),
          }),
          response: responses(
            Type.Object({ success: Type.Boolean(), message: Type.String(), jid: Type.String() }),
          ),
        },
      },
      async (req) => {
        const jid = await newsletters.followInvite(req.user!.id, req.body.invite_code, follow)
        return {
          success: true,
          message: follow ? 'Subscribed successfully' : 'Unsubscribed successfully',
          jid,
        }
      },
    )
  inviteRoute('/newsletter/follow-invite', true)
  inviteRoute('/newsletter/unfollow-invite', false)

  app.post(
    '/newsletter/mute',
    {
      schema: {
        tags,
        security,
        summary: 'Mute or unmute a channel’s notifications',
        body: Type.Object({ jid: Jid, mute: Type.Boolean() }),
        response: responses(Done),
      },
    },
    async (req) => {
      await newsletters.mute(req.user!.id, req.body.jid, req.body.mute)
      const message = req.body.mute
        ? 'Notifications muted successfully'
        : 'Notifications unmuted successfully'
      return { success: true, message }
    },
  )

  app.post(
    '/newsletter/messages',
    {
      schema: {
        tags,
        security,
        summary: 'A channel’s messages, newest `count`, before a server id (oldest first)',
        body: Type.Object({
          jid: Jid,
          count: Count,
          before: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
        response: responses(Type.Object({ success: Type.Boolean(), messages: Type.Array(Post) })),
      },
    },
    async (req) => {
      const { jid, count = 25, before } = req.body
      const list = await newsletters.messages(req.user!.id, jid, count, before)
      return { success: true, messages: list.map(toPost) }
    },
  )

  app.post(
    '/newsletter/message-updates',
    {
      schema: {
        tags,
        security,
        summary: 'Messages whose views or reactions changed since a time or after a server id',
        body: Type.Object({
          jid: Jid,
          count: Count,
          since: Type.Optional(Type.Integer({ minimum: 0, description: 'Unix seconds' })),
          after: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
        response: responses(Type.Object({ success: Type.Boolean(), updates: Type.Array(Post) })),
      },
    },
    async (req) => {
      const { jid, count = 25, since, after } = req.body
      const list = await newsletters.updates(req.user!.id, jid, count, since, after)
      return { success: true, updates: list.map(toPost) }
    },
  )

  app.post(
    '/newsletter/reaction',
    {
      schema: {
        tags,
        security,
        summary: 'React to a channel message ("" removes your reaction)',
        body: Type.Object({ jid: Jid, server_id: ServerId, reaction: Type.String({ maxLength: 32 }) }),
        response: responses(Done),
      },
    },
    async (req) => {
      const { jid, server_id, reaction } = req.body
      await newsletters.react(req.user!.id, jid, server_id, reaction)
      return {
        success: true,
        message: reaction ? 'Reaction sent successfully' : 'Reaction removed successfully',
      }
    },
  )

  app.post(
    '/newsletter/mark-viewed',
    {
      schema: {
        tags,
        security,
        summary: 'Count your view of channel messages',
        body: Type.Object({ jid: Jid, server_ids: Type.Array(ServerId, { minItems: 1, maxItems: 100 }) }),
        response: responses(Done),
      },
    },
    async (req) => {
      await newsletters.markViewed(req.user!.id, req.body.jid, req.body.server_ids)
      return { success: true, message: 'Messages marked as viewed' }
    },
  )

  app.post(
    '/newsletter/subscribe-live-updates',
    {
      schema: {
        tags,
        security,
        summary: 'Receive live view and reaction counts (NewsletterLiveUpdate) for `duration` seconds',
        body: Type.Object({ jid: Jid }),
        response: responses(
          Type.Object({ success: Type.Boolean(), duration: Type.Number(), message: Type.String() }),
        ),
      },
    },
    async (req) => {
      const duration = await newsletters.liveUpdates(req.user!.id, req.body.jid)
      return { success: true, duration, message: 'Subscribed to live updates' }
    },
  )

  app.post(
    '/newsletter/accept-tos',
    {
      schema: {
        tags,
        security,
        summary: 'Accept a terms-of-service notice (20601218 stage 5: the one creating channels needs)',
        body: Type.Object({
          notice_id: Type.Optional(Type.String({ default: '20601218' })),
          stage: Type.Optional(Type.String({ default: '5' })),
        }),
        response: responses(Done),
      },
    },
    async (req) => {
      const { notice_id = '20601218', stage = '5' } = req.body ?? {}
      await newsletters.acceptTos(req.user!.id, notice_id, stage)
      return { success: true, message: 'Terms of service accepted' }
    },
  )

  app.post(
    '/newsletter/admin-invite',
    {
      schema: {
        tags,
        security,
        summary: 'Invite a user to administer a channel (a message with the invite, valid 7 days)',
        body: AdminInviteBody,
        response: responses(AdminInviteAnswer),
      },
    },
    async (req) => {
      const b = req.body
      const sent = await newsletters.adminInvite(req.user!.id, {
        phone: b.phone ?? '',
        newsletterJid: b.newsletter_jid ?? '',
        image: b.image ?? '',
        caption: b.caption ?? '',
        name: b.name ?? '',
      })
      return toAdminInvite(sent)
    },
  )
}
