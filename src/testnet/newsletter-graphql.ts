import { randomInt } from 'node:crypto'
import type { BinaryNode } from 'baileys'
import type { Account } from './accounts.js'
import type { ChatConnection } from './connection.js'
import { now, type TestNetwork } from './network.js'
import type { Newsletter, Newsletters, Text } from './newsletters.js'

/** `w:mex` GraphQL operations by query id (Baileys rc14's ids, plus the subscribed list's). */
const QUERIES: Record<string, { op: string; path: string }> = {
  '8823471724422422': { op: 'create', path: 'xwa2_newsletter_create' },
  '6563316087068696': { op: 'metadata', path: 'xwa2_newsletter' },
  '6388546374527196': { op: 'subscribed', path: 'xwa2_newsletter_subscribed' },
  '24404358912487870': { op: 'follow', path: 'xwa2_newsletter_join_v2' },
  '9767147403369991': { op: 'unfollow', path: 'xwa2_newsletter_leave_v2' },
  '29766401636284406': { op: 'mute', path: 'xwa2_newsletter_mute_v2' },
  '9864994326891137': { op: 'unmute', path: 'xwa2_newsletter_unmute_v2' },
  '24250201037901610': { op: 'update', path: 'xwa2_newsletter_update' },
  '7130823597031706': { op: 'admin_count', path: 'xwa2_newsletter_admin' },
  '30062808666639665': { op: 'delete', path: 'xwa2_newsletter_delete_v2' },
}

class GraphError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message)
  }
}

/** A channel's name or description as WhatsApp versions it. */
export const text = (value: string, t = now()): Text => ({
  id: `${t}${randomInt(100_000, 999_999)}`,
  text: value,
  updateTime: `${t}000000`,
})

export function roleOf(newsletter: Newsletter, account: Account): 'OWNER' | 'ADMIN' | 'SUBSCRIBER' | 'GUEST' {
  if (newsletter.owner === account) return 'OWNER'
  if (newsletter.admins.has(account)) return 'ADMIN'
  return newsletter.followers.has(account) ? 'SUBSCRIBER' : 'GUEST'
}

/** The channel as WhatsApp's GraphQL answers it, seen by `viewer`. */
export function newsletterJson(n: Newsletter, viewer: Account) {
  const textJson = (t: Text) => ({ id: t.id, text: t.text, update_time: t.updateTime })
  const picture = n.picture ? { id: n.picture.id, type: 'IMAGE', direct_path: n.picture.directPath } : null
  return {
    id: n.jid,
    state: { type: 'ACTIVE' },
    thread_metadata: {
      creation_time: n.creation,
      description: textJson(n.description),
      handle: null,
      invite: n.invite,
      name: textJson(n.name),
      picture: picture as { id: string; type: string; direct_path: string } | null,
      preview: picture ? { ...picture, type: 'PREVIEW' } : null,
      subscribers_count: String(n.followers.size),
      verification: 'UNVERIFIED',
    },
    viewer_metadata: {
      mute: n.followers.get(viewer)?.muted ? 'ON' : 'OFF',
      role: roleOf(n, viewer),
    },
  }
}

/** A `w:mex` GraphQL query: `<query query_id>{"variables":…}</query>` → `<result>{"data":…}</result>`. */
export function answerMex(
  store: Newsletters,
  net: TestNetwork,
  conn: ChatConnection,
  account: Account,
  query: BinaryNode,
): BinaryNode[] {
  const known = QUERIES[query.attrs.query_id ?? '']
  let body: unknown
  try {
    if (!known) throw new GraphError(400, `unknown query ${query.attrs.query_id}`)
    const raw = query.content instanceof Uint8Array ? Buffer.from(query.content).toString() : '{}'
    const variables = (JSON.parse(raw) as { variables?: Record<string, unknown> }).variables ?? {}
    body = { data: { [known.path]: operate(store, net, conn, account, known.op, variables) } }
  } catch (err) {
    if (!(err instanceof GraphError)) throw err
    body = { errors: [{ message: err.message, extensions: { error_code: err.code } }] }
  }
  return [{ tag: 'result', attrs: {}, content: Buffer.from(JSON.stringify(body)) }]
}

function operate(
  store: Newsletters,
  net: TestNetwork,
  conn: ChatConnection,
  account: Account,
  op: string,
  v: Record<string, unknown>,
): unknown {
  if (op === 'create') {
    const input = (v.input ?? v.newsletter_input ?? {}) as { name?: string; description?: string | null }
    if (!input.name?.trim()) throw new GraphError(400, 'name is required')
    const newsletter = store.create(account, input.name, input.description ?? '')
    const json = newsletterJson(newsletter, account)
    // Baileys rc14 reads `thread_metadata.picture.id` of a new channel unconditionally.
    json.thread_metadata.picture ??= { id: '', type: 'IMAGE', direct_path: '' }
    return json
  }
  if (op === 'subscribed') {
    return store
      .all()
      .filter((n) => roleOf(n, account) !== 'GUEST')
      .map((n) => newsletterJson(n, account))
  }
  if (op === 'metadata') {
    const input = (v.input ?? {}) as { key?: string; type?: string }
    const key = String(input.key ?? '')
    const found =
      input.type === 'INVITE'
        ? store.all().find((n) => n.invite === key.replace(/^.*\/channel\//, ''))
        : store.get(key)
    if (!found) throw new GraphError(404, 'Newsletter not found')
    const json = newsletterJson(found, account)
    return v.fetch_viewer_metadata === false ? { ...json, viewer_metadata: null } : json
  }
  const jid = String(v.newsletter_id ?? '')
  const newsletter = store.get(jid)
  if (!newsletter) throw new GraphError(404, 'Newsletter not found')
  const role = roleOf(newsletter, account)
  const admin = role === 'OWNER' || role === 'ADMIN'
  switch (op) {
    case 'follow':
    case 'unfollow':
      if (role !== 'OWNER') store.follow(account, jid, op === 'follow', conn.device)
      return { id: jid }
    case 'mute':
    case 'unmute':
      if (!newsletter.followers.has(account) && !admin) throw new GraphError(403, 'Not a subscriber')
      store.mute(account, jid, op === 'mute', conn.device)
      return { id: jid }
    case 'update': {
      if (!admin) throw new GraphError(403, 'Not an admin')
      const updates = (v.updates ?? {}) as { name?: string; description?: string; picture?: string }
      if (typeof updates.name === 'string') newsletter.name = text(updates.name)
      if (typeof updates.description === 'string') newsletter.description = text(updates.description)
      if (updates.picture === '') newsletter.picture = undefined
      else if (updates.picture && net.media)
        newsletter.picture = net.media.put(Buffer.from(updates.picture, 'base64'))
      return newsletterJson(newsletter, account)
    }
    case 'admin_count':
      return { admin_count: 1 + newsletter.admins.size }
    case 'delete':
      if (role !== 'OWNER') throw new GraphError(403, 'Not the owner')
      store.delete(jid)
      return { id: jid }
    default:
      throw new GraphError(400, `unsupported operation ${op}`)
  }
}
