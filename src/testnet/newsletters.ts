import { randomBytes, randomInt } from 'node:crypto'
import { type BinaryNode, getBinaryNodeChild, getBinaryNodeChildren } from 'baileys'
import type { Account, Device } from './accounts.js'
import type { ChatConnection } from './connection.js'
import { now, type TestNetwork } from './network.js'
import { answerMex, newsletterJson, roleOf, text } from './newsletter-graphql.js'

export interface Text {
  id: string
  text: string
  updateTime: string
}

/** A message posted to a channel, with who viewed it and who reacted with what. */
export interface Post {
  serverId: number
  id: string
  /** The stanza's type (`text`, `media`…). */
  type: string
  t: string
  plaintext: Buffer
  views: Set<Account>
  reactions: Map<Account, string>
  /** When its counters last changed (unix seconds). */
  changed: number
}

export interface Newsletter {
  jid: string
  name: Text
  description: Text
  picture: { id: string; url: string; directPath: string } | undefined
  invite: string
  creation: string
  owner: Account
  admins: Set<Account>
  followers: Map<Account, { muted: boolean }>
  posts: Post[]
  nextServerId: number
  /** Devices subscribed to live view and reaction counts, until when (ms). */
  live: Map<Device, number>
}

/** How long a live-updates subscription lasts, in seconds (what WhatsApp answers). */
export const LIVE_UPDATES_SECONDS = 300

const INVITE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** Newsletters (channels): their state and the `newsletter` / `w:mex` IQs that read and change it. */
export class Newsletters {
  private readonly byJid = new Map<string, Newsletter>()

  constructor(private readonly net: TestNetwork) {}

  get(jid: string): Newsletter | undefined {
    return this.byJid.get(jid)
  }

  all(): Newsletter[] {
    return [...this.byJid.values()]
  }

  delete(jid: string): void {
    this.byJid.delete(jid)
  }

  /** Answers a `newsletter` or `w:mex` IQ; returns the result's children (undefined: empty). */
  answer(conn: ChatConnection, iq: BinaryNode): BinaryNode[] | undefined {
    const account = conn.account
    const [op] = Array.isArray(iq.content) ? iq.content : []
    if (!account || !op) return undefined
    if (iq.attrs.xmlns === 'w:mex') return answerMex(this, this.net, conn, account, op)
    const error = (code: number, text: string) => [{ tag: 'error', attrs: { code: String(code), text } }]
    if (op.tag === 'messages') {
      const newsletter = this.get(op.attrs.jid ?? '')
      if (!newsletter) return error(404, 'item-not-found')
      const before = Number(op.attrs.before ?? 0)
      const list = newsletter.posts.filter((p) => !before || p.serverId < before)
      const count = Number(op.attrs.count ?? 25)
      return [
        { tag: 'messages', attrs: { jid: newsletter.jid }, content: this.postNodes(list.slice(-count)) },
      ]
    }
    const newsletter = this.get(iq.attrs.to ?? '')
    if (!newsletter) return error(404, 'item-not-found')
    if (op.tag === 'message_updates') {
      const since = Number(op.attrs.since ?? 0)
      const after = Number(op.attrs.after ?? 0)
      const count = Number(op.attrs.count ?? 25)
      const list = newsletter.posts.filter((p) => p.changed >= since && p.serverId > after)
      return [
        {
          tag: 'message_updates',
          attrs: {},
          content: [{ tag: 'messages', attrs: {}, content: this.postNodes(list.slice(-count)) }],
        },
      ]
    }
    if (op.tag === 'live_updates' && conn.device) {
      newsletter.live.set(conn.device, Date.now() + LIVE_UPDATES_SECONDS * 1000)
      return [{ tag: 'live_updates', attrs: { duration: String(LIVE_UPDATES_SECONDS) } }]
    }
    return error(400, 'bad-request')
  }

  /** A message stanza to a channel: a reaction, or a post by its owner or an admin. */
  onMessage(conn: ChatConnection, message: BinaryNode): void {
    const account = conn.account!
    const { id = '', to = '', type = 'text', server_id: serverId, edit } = message.attrs
    const ack = (extra: Record<string, string>) =>
      conn.send({ tag: 'ack', attrs: { class: 'message', id, from: to, t: now(), ...extra } })
    const newsletter = this.get(to)
    if (!newsletter) return void ack({ error: '404' })
    if (type === 'reaction') {
      const post = newsletter.posts.find((p) => p.serverId === Number(serverId))
      if (!post) return void ack({ error: '404' })
      const code = getBinaryNodeChild(message, 'reaction')?.attrs.code
      if (code && edit !== '7') post.reactions.set(account, code)
      else post.reactions.delete(account)
      post.changed = Number(now())
      ack({ server_id: String(post.serverId) })
      this.pushLive(newsletter, {
        tag: 'reaction',
        attrs: { message_id: String(post.serverId) },
        content: [{ tag: 'reaction', attrs: {}, ...(code && edit !== '7' ? { content: code } : {}) }],
      })
      return
    }
    if (roleOf(newsletter, account) !== 'ADMIN' && roleOf(newsletter, account) !== 'OWNER')
      return void ack({ error: '403' })
    const plaintext = getBinaryNodeChild(message, 'plaintext')?.content
    if (!(plaintext instanceof Uint8Array)) return void ack({ error: '400' })
    const post: Post = {
      serverId: newsletter.nextServerId++,
      id,
      type,
      t: now(),
      plaintext: Buffer.from(plaintext),
      views: new Set(),
      reactions: new Map(),
      changed: Number(now()),
    }
    newsletter.posts.push(post)
    ack({ server_id: String(post.serverId) })
    const audience = new Set([newsletter.owner, ...newsletter.admins, ...newsletter.followers.keys()])
    for (const member of audience) {
      for (const device of member.devices.values()) {
        if (device === conn.device) continue
        this.net.deliver(device, {
          tag: 'message',
          attrs: { from: newsletter.jid, id, server_id: String(post.serverId), t: post.t, type },
          content: [{ tag: 'plaintext', attrs: {}, content: post.plaintext }],
        })
      }
    }
  }

  /** A `view` receipt (`<list><item server_id/>…`) to a channel: counts the views. */
  onReceipt(conn: ChatConnection, receipt: BinaryNode): void {
    const newsletter = this.get(receipt.attrs.to ?? '')
    if (!newsletter || receipt.attrs.type !== 'view' || !conn.account) return
    for (const item of getBinaryNodeChildren(getBinaryNodeChild(receipt, 'list'), 'item')) {
      const post = newsletter.posts.find((p) => p.serverId === Number(item.attrs.server_id))
      if (!post || post.views.has(conn.account)) continue
      post.views.add(conn.account)
      post.changed = Number(now())
      this.pushLive(newsletter, {
        tag: 'view',
        attrs: { message_id: String(post.serverId) },
        content: Buffer.from(String(post.views.size)),
      })
    }
  }

  /** The account follows (or leaves) a channel from its phone: its companions are told. */
  follow(account: Account, jid: string, follow: boolean, actor?: Device): boolean {
    const newsletter = this.get(jid)
    if (!newsletter) return false
    if (follow && !newsletter.followers.has(account)) newsletter.followers.set(account, { muted: false })
    if (!follow) newsletter.followers.delete(account)
    const role = roleOf(newsletter, account)
    this.notifyOwnDevices(
      account,
      actor,
      follow ? 'NotificationNewsletterJoin' : 'NotificationNewsletterLeave',
      follow
        ? { xwa2_notify_newsletter_on_join: newsletterJson(newsletter, account) }
        : { xwa2_notify_newsletter_on_leave: { id: jid, role } },
    )
    return true
  }

  /** The account mutes (or unmutes) a channel it follows from its phone: its companions are told. */
  mute(account: Account, jid: string, mute: boolean, actor?: Device): boolean {
    const follower = this.get(jid)?.followers.get(account)
    if (follower) follower.muted = mute
    this.notifyOwnDevices(account, actor, 'NotificationNewsletterMuteChange', {
      xwa2_notify_newsletter_on_mute_change: { id: jid, mute: mute ? 'ON' : 'OFF' },
    })
    return Boolean(follower)
  }

  /** A new channel owned by `owner`. */
  create(owner: Account, name: string, description: string): Newsletter {
    let jid: string
    do jid = `120363${randomInt(10 ** 11, 10 ** 12)}@newsletter`
    while (this.byJid.has(jid))
    const bytes = randomBytes(24)
    const newsletter: Newsletter = {
      jid,
      name: text(name),
      description: text(description),
      picture: undefined,
      invite: [...bytes].map((b) => INVITE_CHARS[b % INVITE_CHARS.length]).join(''),
      creation: now(),
      owner,
      admins: new Set(),
      followers: new Map(),
      posts: [],
      nextServerId: 100,
      live: new Map(),
    }
    this.byJid.set(jid, newsletter)
    return newsletter
  }

  private postNodes(posts: Post[]): BinaryNode[] {
    return posts.map((p): BinaryNode => {
      const counts = new Map<string, number>()
      for (const code of p.reactions.values()) counts.set(code, (counts.get(code) ?? 0) + 1)
      return {
        tag: 'message',
        attrs: { server_id: String(p.serverId), id: p.id, t: p.t, type: p.type },
        content: [
          { tag: 'plaintext', attrs: {}, content: p.plaintext } as BinaryNode,
          { tag: 'views_count', attrs: { count: String(p.views.size) } },
          {
            tag: 'reactions',
            attrs: {},
            content: [...counts].map(([code, count]) => ({
              tag: 'reaction',
              attrs: { code, count: String(count) },
            })),
          },
        ],
      }
    })
  }

  /** A `newsletter` notification (in the form Baileys reads) to devices subscribed to live updates. */
  private pushLive(newsletter: Newsletter, child: BinaryNode) {
    for (const [device, until] of newsletter.live) {
      if (until < Date.now()) {
        newsletter.live.delete(device)
        continue
      }
      this.net.deliver(device, {
        tag: 'notification',
        attrs: { from: newsletter.jid, type: 'newsletter', id: this.net.nextId(), t: now() },
        content: [child],
      })
    }
  }

  /** A `mex` notification to the account's devices but the one that acted. */
  private notifyOwnDevices(account: Account, actor: Device | undefined, opName: string, data: object) {
    for (const device of account.devices.values()) {
      if (device === actor) continue
      this.net.deliver(device, {
        tag: 'notification',
        attrs: { from: 's.whatsapp.net', type: 'mex', id: this.net.nextId(), t: now() },
        content: [
          { tag: 'update', attrs: { op_name: opName }, content: Buffer.from(JSON.stringify({ data })) },
        ],
      })
    }
  }
}
