import type { NewsletterMetadata, NewsletterPost } from '../engine/newsletters.js'
import { type EngineConnection, EngineRefusal } from '../engine/port.js'
import type { SessionDeps } from './deps.js'
import { AppError, validation } from './errors.js'
import type { ContentRequest } from './messages.service.js'
import { parseRecipient } from './recipient.js'

export type { NewsletterMetadata, NewsletterPost }

/** DIGIGO truncates a channel's name to this many characters. */
export const NAME_MAX = 25
/** An admin invite is valid this long (DIGIGO's example: 7 days). */
const INVITE_VALID_SECONDS = 7 * 86_400

export interface NewsletterSendRequest {
  jid: string
  message?: string | undefined
  image?: string | undefined
  video?: string | undefined
  document?: string | undefined
  audio?: string | undefined
  caption?: string | undefined
  filename?: string | undefined
}

export interface AdminInviteRequest {
  phone: string
  newsletterJid: string
  image: string
  caption: string
  name: string
}

/** `<digits>@newsletter`, else a 400 with DIGIGO's message. */
export function newsletterJid(input: string, message = 'invalid newsletter ID'): string {
  const jid = input.trim()
  if (!/^\d{6,25}@newsletter$/.test(jid)) throw validation(message)
  return jid
}

/** An invite code, also given as the channel link (https://whatsapp.com/channel/<code>). */
function inviteCode(input: string): string {
  const code = input.trim().replace(/^https?:\/\/(www\.)?whatsapp\.com\/channel\//i, '')
  if (!/^[\w-]{4,64}$/.test(code)) throw validation('invalid invite code')
  return code
}

/** Newsletters (channels). */
export class NewslettersService {
  constructor(protected readonly deps: SessionDeps) {}

  /** Runs `fn` on the user's live session; WhatsApp's refusals become 422 with its code. */
  private async on<T>(userId: string, fn: (c: EngineConnection) => Promise<T>): Promise<T> {
    const connection = this.deps.sessions.connection(userId)
    try {
      return await fn(connection)
    } catch (err) {
      if (err instanceof EngineRefusal)
        throw new AppError('WHATSAPP_REFUSED', `WhatsApp refused: ${err.message}`, { whatsappCode: err.code })
      throw err
    }
  }

  private async known(c: EngineConnection, key: { jid: string } | { invite: string }) {
    const found = await c.newsletterInfo(key)
    if (!found)
      throw new AppError('WHATSAPP_REFUSED', 'WhatsApp refused: no such newsletter', { whatsappCode: 404 })
    return found
  }

  subscribed(userId: string): Promise<NewsletterMetadata[]> {
    return this.on(userId, (c) => c.newsletterSubscribed())
  }

  async create(
    userId: string,
    input: { name: string; description?: string | undefined; picture?: string | undefined },
  ): Promise<NewsletterMetadata> {
    const name = [...input.name.trim()].slice(0, NAME_MAX).join('')
    if (!name) throw validation('name is required')
    this.deps.sessions.connection(userId)
    const picture = input.picture?.trim()
      ? (await this.deps.media.resolve(input.picture, 'image')).data
      : undefined
    const description = input.description?.trim() || undefined
    return this.on(userId, (c) => c.newsletterCreate(name, description, picture))
  }

  info(userId: string, jidInput: string): Promise<NewsletterMetadata> {
    const jid = newsletterJid(jidInput)
    return this.on(userId, (c) => this.known(c, { jid }))
  }

  async follow(userId: string, jidInput: string, follow: boolean): Promise<void> {
    const jid = newsletterJid(jidInput)
    await this.on(userId, (c) => c.newsletterFollow(jid, follow))
  }

  /** Follows or leaves the channel an invite code names; resolves with its JID. */
  followInvite(userId: string, codeInput: string, follow: boolean): Promise<string> {
    const invite = inviteCode(codeInput)
    return this.on(userId, async (c) => {
      const { jid } = await this.known(c, { invite })
      await c.newsletterFollow(jid, follow)
      return jid
    })
  }

  async mute(userId: string, jidInput: string, mute: boolean): Promise<void> {
    const jid = newsletterJid(jidInput, 'invalid JID')
    await this.on(userId, (c) => c.newsletterMute(jid, mute))
  }

  /** Posts to a channel (as its owner or an admin): text, or one file; audio goes as a voice note. */
  async send(userId: string, r: NewsletterSendRequest): Promise<{ id: string; timestamp: number }> {
    const jid = newsletterJid(r.jid)
    const caption = r.caption || undefined
    let content: ContentRequest
    if (r.image) content = { kind: 'image', source: r.image, caption }
    else if (r.video) content = { kind: 'video', source: r.video, caption }
    else if (r.document)
      content = { kind: 'document', source: r.document, fileName: r.filename || 'document', caption }
    else if (r.audio) content = { kind: 'audio', source: r.audio, ptt: true }
    else if (r.message?.trim()) content = { kind: 'text', text: r.message }
    else throw validation('no message content provided')
    const sent = await this.deps.messages.send(userId, { to: jid, content })
    return { id: sent.id, timestamp: sent.timestamp }
  }

  messages(userId: string, jidInput: string, count: number, before?: number): Promise<NewsletterPost[]> {
    const jid = newsletterJid(jidInput)
    return this.on(userId, (c) => c.newsletterMessages(jid, count, before || undefined))
  }

  updates(
    userId: string,
    jidInput: string,
    count: number,
    since?: number | undefined,
    after?: number | undefined,
  ): Promise<NewsletterPost[]> {
    const jid = newsletterJid(jidInput, 'invalid JID')
    return this.on(userId, (c) => c.newsletterUpdates(jid, count, since || undefined, after || undefined))
  }

  async react(userId: string, jidInput: string, serverId: number, reaction: string): Promise<void> {
    const jid = newsletterJid(jidInput, 'invalid JID')
    await this.on(userId, (c) => c.newsletterReact(jid, serverId, reaction.trim()))
  }

  async markViewed(userId: string, jidInput: string, serverIds: number[]): Promise<void> {
    const jid = newsletterJid(jidInput, 'invalid JID')
    await this.on(userId, (c) => c.newsletterMarkViewed(jid, [...new Set(serverIds)]))
  }

  /** Live view and reaction counts (NewsletterLiveUpdate events) for a while: how long, in seconds. */
  liveUpdates(userId: string, jidInput: string): Promise<number> {
    const jid = newsletterJid(jidInput, 'invalid JID')
    return this.on(userId, (c) => c.newsletterLiveUpdates(jid))
  }

  async acceptTos(userId: string, noticeId: string, stage: string): Promise<void> {
    if (!/^\d{1,20}$/.test(noticeId) || !/^\d{1,4}$/.test(stage))
      throw validation('notice_id and stage must be numbers')
    await this.on(userId, (c) => c.acceptTos(noticeId, stage))
  }

  /** Sends a channel admin invite to a user (a message with the invite, valid 7 days). */
  async adminInvite(userId: string, r: AdminInviteRequest) {
    if (![r.phone, r.newsletterJid, r.image, r.caption, r.name].every((v) => v?.trim()))
      throw validation('phone, newsletter_jid, image, caption and name are required')
    const jid = newsletterJid(r.newsletterJid)
    const to = parseRecipient(r.phone)
    if (!to.endsWith('@s.whatsapp.net') && !to.endsWith('@lid')) throw validation('phone must be a user')
    this.deps.sessions.connection(userId)
    const thumbnail = (await this.deps.media.resolve(r.image, 'image')).data
    const expiresAt = Math.floor(Date.now() / 1000) + INVITE_VALID_SECONDS
    const sent = await this.on(userId, (c) =>
      c.newsletterAdminInvite(to, {
        newsletterJid: jid,
        name: r.name,
        caption: r.caption,
        thumbnail,
        expiresAt,
      }),
    )
    return { ...sent, recipient: to.split('@')[0]!, newsletterJid: jid, name: r.name, expiresAt }
  }
}
