import type {
  NewsletterMetadata,
  NewsletterPost,
  NewslettersService,
} from '../../services/newsletters.service.js'

/** Newsletters: domain objects → DIGIGO's wire shapes. */

type AdminInviteSent = Awaited<ReturnType<NewslettersService['adminInvite']>>

/** The channel as WhatsApp describes it (/newsletter/list). */
export const toRaw = (m: NewsletterMetadata) => ({
  id: m.jid,
  state: { type: m.state },
  thread_metadata: {
    creation_time: String(m.creationTime),
    description: { id: m.description.id, text: m.description.text, update_time: m.description.updateTime },
    invite: m.invite,
    name: { id: m.name.id, text: m.name.text, update_time: m.name.updateTime },
    ...(m.picture ? { picture: { id: m.picture.id, direct_path: m.picture.directPath, type: 'image' } } : {}),
    subscribers_count: String(m.subscribers),
    verification: m.verification,
  },
  viewer_metadata: m.viewer ?? null,
})

export const toSummary = (m: NewsletterMetadata) => ({
  jid: m.jid,
  name: m.name.text,
  description: m.description.text,
  subscribers: m.subscribers,
  muted: m.viewer?.mute === 'on',
  invite_code: m.invite,
  role: m.viewer?.role ?? 'guest',
})

/** /newsletter/info: the summary plus creation time, verification and state. */
export const toInfo = (m: NewsletterMetadata) => ({
  ...toSummary(m),
  creation_time: m.creationTime,
  verification: m.verification,
  state: m.state,
})

export const toPost = (p: NewsletterPost) => ({
  id: p.id,
  server_id: p.serverId,
  type: p.type,
  timestamp: p.timestamp,
  ...(p.text !== undefined ? { text: p.text } : {}),
  ...(p.caption !== undefined ? { caption: p.caption } : {}),
  views_count: p.viewsCount,
  reaction_counts: p.reactionCounts,
  ...(p.media ? { media: p.media } : {}),
})

export const toAdminInvite = (sent: AdminInviteSent) => ({
  success: true,
  id: sent.id,
  timestamp: sent.timestamp,
  recipient: sent.recipient,
  newsletter_jid: sent.newsletterJid,
  invite_name: sent.name,
  expires_at: sent.expiresAt,
  message: 'Newsletter admin invite sent successfully',
})
