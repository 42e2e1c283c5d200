import {
  type BinaryNode,
  extractImageThumb,
  generateMessageIDV2,
  generateWAMessageFromContent,
  getBinaryNodeChild,
  getBinaryNodeChildren,
  getContentType,
  normalizeMessageContent,
  proto,
} from 'baileys'
import { MEDIA_MESSAGES } from '../messages.js'
import type { NewsletterMetadata, NewsletterPost, NewslettersPort } from '../newsletters.js'
import { EngineRefusal } from '../port.js'
import type { AdapterContext } from './context.js'
import { mediaInfo } from './normalize.js'

/** `w:mex` query ids Baileys rc14 has no function for (as whatsmeow and WhatsApp Web send them). */
const SUBSCRIBED_QUERY = '6388546374527196'

const lower = (v: unknown, fallback: string) => (typeof v === 'string' && v ? v.toLowerCase() : fallback)

type Raw = Record<string, unknown> & {
  id?: string
  state?: { type?: string }
  thread_metadata?: Record<string, unknown> & {
    name?: { id?: string; text?: string; update_time?: string }
    description?: { id?: string; text?: string; update_time?: string }
    picture?: { id?: string; direct_path?: string; url?: string } | null
  }
  viewer_metadata?: { mute?: string; role?: string } | null
}

/** WhatsApp's GraphQL channel object → the port's metadata. */
export function toMetadata(raw: Raw): NewsletterMetadata {
  const thread = raw.thread_metadata ?? {}
  const text = (v: { id?: string; text?: string; update_time?: string } | undefined) => ({
    id: String(v?.id ?? ''),
    text: String(v?.text ?? ''),
    updateTime: String(v?.update_time ?? ''),
  })
  const picture = thread.picture?.id ? thread.picture : undefined
  return {
    jid: String(raw.id ?? ''),
    state: lower(raw.state?.type, 'active'),
    name: text(thread.name),
    description: text(thread.description),
    invite: String(thread.invite ?? ''),
    subscribers: Number(thread.subscribers_count ?? 0),
    verification: lower(thread.verification, 'unverified'),
    creationTime: Number(thread.creation_time ?? 0),
    picture: picture
      ? { id: String(picture.id), directPath: String(picture.direct_path ?? ''), url: picture.url }
      : undefined,
    viewer: raw.viewer_metadata
      ? {
          mute: lower(raw.viewer_metadata.mute, 'off'),
          role: lower(raw.viewer_metadata.role, 'guest'),
        }
      : undefined,
  }
}

const KINDS: Record<string, string> = { conversation: 'text', extendedTextMessage: 'text', ...MEDIA_MESSAGES }

/** A `<message server_id id t type>` of a `messages` or `message_updates` answer → a post. */
export function toPost(node: BinaryNode): NewsletterPost {
  const reactionCounts: Record<string, number> = {}
  for (const r of getBinaryNodeChildren(getBinaryNodeChild(node, 'reactions'), 'reaction')) {
    if (r.attrs.code) reactionCounts[r.attrs.code] = Number(r.attrs.count ?? 0)
  }
  const post: NewsletterPost = {
    serverId: Number(node.attrs.server_id ?? 0),
    id: node.attrs.id ?? '',
    type: node.attrs.type ?? 'text',
    timestamp: Number(node.attrs.t ?? 0),
    viewsCount: Number(getBinaryNodeChild(node, 'views_count')?.attrs.count ?? 0),
    reactionCounts,
  }
  const plaintext = getBinaryNodeChild(node, 'plaintext')?.content
  if (plaintext instanceof Uint8Array) {
    const message = normalizeMessageContent(proto.Message.decode(plaintext))
    const kind = getContentType(message ?? undefined)
    if (message && kind) {
      post.type = KINDS[kind] ?? kind.replace(/Message$/, '')
      const inner = message[kind] as Record<string, unknown> | string | null | undefined
      if (typeof inner === 'string') post.text = inner
      else if (kind === 'extendedTextMessage') post.text = String(inner?.text ?? '')
      else if (inner && KINDS[kind]) {
        if (typeof inner.caption === 'string' && inner.caption) post.caption = inner.caption
        // Channel media is not encrypted: no media key, the file as uploaded.
        post.media = JSON.parse(JSON.stringify(mediaInfo(inner))) as Record<string, unknown>
      }
    }
  }
  return post
}

/** Baileys' errors (Boom with a status, or an `<error code>` answer) → an EngineRefusal. */
function refusal(err: unknown): never {
  // An `<error code>` answer is a Boom whose `data` is that code; a GraphQL error sets the status.
  const boom = err as { output?: { statusCode?: number }; data?: unknown }
  const code = typeof boom.data === 'number' ? boom.data : Number(boom.output?.statusCode ?? 0)
  if (code >= 400 && code < 500) throw new EngineRefusal(code, (err as Error).message)
  throw err
}

/** Newsletters (channels) through Baileys. */
export function newslettersOf(ctx: AdapterContext): NewslettersPort {
  const { socket } = ctx
  const mex = async (queryId: string, variables: Record<string, unknown>, path: string) => {
    const result = await socket.query({
      tag: 'iq',
      attrs: { id: socket.generateMessageTag(), type: 'get', to: 's.whatsapp.net', xmlns: 'w:mex' },
      content: [
        { tag: 'query', attrs: { query_id: queryId }, content: Buffer.from(JSON.stringify({ variables })) },
      ],
    })
    const content = getBinaryNodeChild(result, 'result')?.content
    const data = content ? JSON.parse(Buffer.from(content as Uint8Array).toString()) : undefined
    const error = data?.errors?.[0]
    if (error) throw new EngineRefusal(Number(error.extensions?.error_code ?? 400), String(error.message))
    return data?.data?.[path]
  }
  const iq = (type: 'get' | 'set', to: string, child: BinaryNode) =>
    socket
      .query({
        tag: 'iq',
        attrs: { id: socket.generateMessageTag(), type, xmlns: 'newsletter', to },
        content: [child],
      })
      .catch(refusal)
  const posts = (node: BinaryNode | undefined) =>
    getBinaryNodeChildren(node, 'message')
      .map(toPost)
      .sort((a, b) => a.serverId - b.serverId)

  // Live updates (after newsletterLiveUpdates) and the account's own follow/leave/mute from its
  // other devices (mex notifications Baileys rc14 only logs).
  const live = (jid: string, post: Record<string, unknown>) =>
    ctx.onEvent({
      type: 'notice',
      name: 'NewsletterLiveUpdate',
      chat: jid,
      data: { JID: jid, Time: new Date().toISOString(), Messages: [post] },
    })
  socket.ev.on('newsletter.reaction', ({ id, server_id, reaction }) =>
    live(id, {
      MessageServerID: Number(server_id),
      ReactionCounts: reaction.code ? { [reaction.code]: reaction.count ?? 1 } : {},
      ...(reaction.removed ? { Removed: true } : {}),
    }),
  )
  socket.ev.on('newsletter.view', ({ id, server_id, count }) =>
    live(id, { MessageServerID: Number(server_id), ViewsCount: count }),
  )
  socket.ws.on('CB:notification,type:mex', (node: BinaryNode) => {
    for (const update of getBinaryNodeChildren(node, 'update')) {
      try {
        const data = JSON.parse(Buffer.from(update.content as Uint8Array).toString())?.data ?? {}
        const join = data.xwa2_notify_newsletter_on_join
        const leave = data.xwa2_notify_newsletter_on_leave
        const mute = data.xwa2_notify_newsletter_on_mute_change
        if (join?.id) {
          const m = toMetadata(join)
          ctx.onEvent({ type: 'notice', name: 'NewsletterJoin', chat: m.jid, data: joinEvent(m) })
        } else if (leave?.id) {
          const data = { ID: leave.id, Role: lower(leave.role, 'guest') }
          ctx.onEvent({ type: 'notice', name: 'NewsletterLeave', chat: leave.id, data })
        } else if (mute?.id) {
          const data = { ID: mute.id, Mute: lower(mute.mute, 'off') }
          ctx.onEvent({ type: 'notice', name: 'NewsletterMuteChange', chat: mute.id, data })
        }
      } catch (err) {
        ctx.logger.debug({ err }, 'unreadable mex notification')
      }
    }
  })

  return {
    newsletterCreate: async (name, description, picture) => {
      const created = await socket.newsletterCreate(name, description).catch(refusal)
      if (picture) await socket.newsletterUpdatePicture(created.id, picture).catch(refusal)
      const info = await socket.newsletterMetadata('jid', created.id).catch(refusal)
      return toMetadata((info ?? { id: created.id }) as unknown as Raw)
    },
    newsletterInfo: async (key) => {
      try {
        const raw =
          'jid' in key
            ? await socket.newsletterMetadata('jid', key.jid)
            : await socket.newsletterMetadata('invite', key.invite)
        return raw ? toMetadata(raw as unknown as Raw) : undefined
      } catch (err) {
        if ((err as { output?: { statusCode?: number } }).output?.statusCode === 404) return undefined
        return refusal(err)
      }
    },
    newsletterSubscribed: async () => {
      const list = (await mex(SUBSCRIBED_QUERY, {}, 'xwa2_newsletter_subscribed')) as Raw[] | undefined
      return (list ?? []).map(toMetadata)
    },
    newsletterFollow: async (jid, follow) => {
      await (follow ? socket.newsletterFollow(jid) : socket.newsletterUnfollow(jid)).catch(refusal)
    },
    newsletterMute: async (jid, mute) => {
      await (mute ? socket.newsletterMute(jid) : socket.newsletterUnmute(jid)).catch(refusal)
    },
    newsletterMessages: async (jid, count, before) => {
      const attrs: Record<string, string> = { type: 'jid', jid, count: String(count) }
      if (before) attrs.before = String(before)
      const result = await iq('get', 's.whatsapp.net', { tag: 'messages', attrs })
      return posts(getBinaryNodeChild(result, 'messages'))
    },
    newsletterUpdates: async (jid, count, since, after) => {
      const result = await socket
        .newsletterFetchMessages(jid, count, since as number, after as number)
        .catch(refusal)
      return posts(getBinaryNodeChild(getBinaryNodeChild(result, 'message_updates'), 'messages'))
    },
    newsletterReact: async (jid, serverId, reaction) => {
      await socket.newsletterReactMessage(jid, String(serverId), reaction || undefined).catch(refusal)
    },
    newsletterMarkViewed: async (jid, serverIds) => {
      // WhatsApp Web's view receipt (Baileys rc14 has no function for it); the server acks it.
      await socket
        .query({
          tag: 'receipt',
          attrs: { to: jid, type: 'view', id: socket.generateMessageTag() },
          content: [
            {
              tag: 'list',
              attrs: {},
              content: serverIds.map((id) => ({ tag: 'item', attrs: { server_id: String(id) } })),
            },
          ],
        })
        .catch(refusal)
    },
    newsletterLiveUpdates: async (jid) => {
      const result = await iq('set', jid, { tag: 'live_updates', attrs: {}, content: [] })
      return Number(getBinaryNodeChild(result, 'live_updates')?.attrs.duration ?? 0)
    },
    acceptTos: async (noticeId, stage) => {
      await socket
        .query({
          tag: 'iq',
          attrs: { id: socket.generateMessageTag(), type: 'set', xmlns: 'tos', to: 's.whatsapp.net' },
          content: [{ tag: 'notice', attrs: { id: noticeId, stage } }],
        })
        .catch(refusal)
    },
    newsletterAdminInvite: async (to, invite) => {
      const id = generateMessageIDV2(socket.user?.id)
      const thumbnail = await extractImageThumb(invite.thumbnail, 96)
        .then((t) => t.buffer)
        .catch(() => invite.thumbnail)
      const message = generateWAMessageFromContent(
        to,
        {
          newsletterAdminInviteMessage: {
            newsletterJid: invite.newsletterJid,
            newsletterName: invite.name,
            caption: invite.caption,
            jpegThumbnail: thumbnail,
            inviteExpiration: invite.expiresAt,
          },
        },
        { userJid: socket.user!.id, messageId: id },
      )
      await socket.relayMessage(to, message.message!, { messageId: id }).catch(refusal)
      return { id, timestamp: Number(message.messageTimestamp ?? Math.floor(Date.now() / 1000)) }
    },
  }
}

/** whatsmeow's NewsletterJoin: the channel's metadata. */
function joinEvent(m: NewsletterMetadata) {
  return {
    id: m.jid,
    state: { type: m.state },
    thread_metadata: {
      creation_time: String(m.creationTime),
      invite: m.invite,
      name: { id: m.name.id, text: m.name.text, update_time: m.name.updateTime },
      description: { id: m.description.id, text: m.description.text, update_time: m.description.updateTime },
      subscribers_count: String(m.subscribers),
      verification: m.verification,
    },
    viewer_metadata: m.viewer ?? null,
  }
}
