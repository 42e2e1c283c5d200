/** Newsletters (channels): what the services need from the engine. */

/** A channel as WhatsApp describes it (enum values lower-case, as whatsmeow reports them). */
export interface NewsletterMetadata {
  jid: string
  /** `active`, `suspended`, `geosuspended`… */
  state: string
  name: { id: string; text: string; updateTime: string }
  description: { id: string; text: string; updateTime: string }
  /** The invite code (https://whatsapp.com/channel/<code>). */
  invite: string
  subscribers: number
  /** `verified` or `unverified`. */
  verification: string
  /** Unix seconds. */
  creationTime: number
  picture: { id: string; directPath: string; url?: string | undefined } | undefined
  /** This account's view of it: `on`/`off`, and `owner`, `admin`, `subscriber` or `guest`. */
  viewer: { mute: string; role: string } | undefined
}

/** A message in a channel, with its counters. */
export interface NewsletterPost {
  serverId: number
  id: string
  /** `text`, `image`, `video`, `audio`, `document`, `sticker`… (the stanza's type when unknown). */
  type: string
  timestamp: number
  viewsCount: number
  reactionCounts: Record<string, number>
  text?: string | undefined
  caption?: string | undefined
  media?: Record<string, unknown> | undefined
}

export interface NewsletterAdminInvite {
  newsletterJid: string
  name: string
  caption: string
  thumbnail: Buffer
  /** Unix seconds. */
  expiresAt: number
}

export interface NewslettersPort {
  /** Creates a channel owned by this account (with a picture when given). */
  newsletterCreate(
    name: string,
    description: string | undefined,
    picture?: Buffer,
  ): Promise<NewsletterMetadata>
  /** A channel by its JID, or by its invite code; undefined when WhatsApp does not know it. */
  newsletterInfo(key: { jid: string } | { invite: string }): Promise<NewsletterMetadata | undefined>
  /** The channels this account follows or administers. */
  newsletterSubscribed(): Promise<NewsletterMetadata[]>
  newsletterFollow(jid: string, follow: boolean): Promise<void>
  newsletterMute(jid: string, mute: boolean): Promise<void>
  /** Newest `count` messages, before `before` (a server id) when given; oldest first. */
  newsletterMessages(jid: string, count: number, before?: number): Promise<NewsletterPost[]>
  /** Messages whose views or reactions changed since `since` (unix) or after server id `after`. */
  newsletterUpdates(
    jid: string,
    count: number,
    since?: number | undefined,
    after?: number | undefined,
  ): Promise<NewsletterPost[]>
  /** Reacts to a message by server id ('' removes this account's reaction). */
  newsletterReact(jid: string, serverId: number, reaction: string): Promise<void>
  newsletterMarkViewed(jid: string, serverIds: number[]): Promise<void>
  /** Asks WhatsApp for live view and reaction counts; resolves with how long (seconds) they last. */
  newsletterLiveUpdates(jid: string): Promise<number>
  /** Accepts a terms-of-service notice (20601218 stage 5: the one creating channels needs). */
  acceptTos(noticeId: string, stage: string): Promise<void>
  /** Sends a channel admin invite message to a user; resolves with the message id and time. */
  newsletterAdminInvite(to: string, invite: NewsletterAdminInvite): Promise<{ id: string; timestamp: number }>
}
