import { randomBytes } from 'node:crypto'
import { type BinaryNode, getBinaryNodeChild, getBinaryNodeChildren, proto } from 'baileys'
import { type Account, lidJid, pnJid } from './accounts.js'
import type { ChatConnection } from './connection.js'
import { now, type TestNetwork } from './network.js'
import { type HistoryChat, sendHistory } from './phone.js'

/** Not an IQ this module answers: the general IQ handler goes on. */
export const PASS = Symbol('pass')

const children = (node: BinaryNode | undefined): BinaryNode[] =>
  Array.isArray(node?.content) ? node.content : []
const leaf = (tag: string, text: string): BinaryNode => ({ tag, attrs: {}, content: Buffer.from(text) })
const notFound = (): BinaryNode[] => [{ tag: 'error', attrs: { code: '404', text: 'item-not-found' } }]

export interface TestBot {
  jid: string
  personaId: string
  name: string
  description: string
  category: string
  attributes: string
  commands: { name: string; description: string }[]
  prompts: { emoji: string; text: string }[]
}

export interface TestBusinessProfile {
  description: string
  category: string
  email: string
  website: string
  address: string
}

/** What the network knows of business features: bots, contact QR codes, message links, profiles. */
export interface ExtrasState {
  bots: TestBot[]
  /** Contact QR code → the account's phone, and each account's current code. */
  qrCodes: Map<string, string>
  qrOf: Map<string, string>
  /** Business message link code → the business's phone and the text it pre-fills. */
  messageLinks: Map<string, { phone: string; message: string }>
  /** Business profiles by phone. */
  profiles: Map<string, TestBusinessProfile>
}

const states = new WeakMap<TestNetwork, ExtrasState>()

/** The network's business state (created with one bot, as WhatsApp offers Meta AI). */
export function extrasState(net: TestNetwork): ExtrasState {
  let state = states.get(net)
  if (!state) {
    state = {
      bots: [
        {
          jid: '867051314767696@bot',
          personaId: '8x6bhpVvHYSomJYwVM2YTnsIWe0Xiq',
          name: 'Meta AI',
          description: 'Ask Meta AI anything',
          category: 'assistant',
          attributes: 'messaging,imagine',
          commands: [{ name: '/imagine', description: 'Create an image' }],
          prompts: [{ emoji: '💡', text: 'Give me an idea' }],
        },
      ],
      qrCodes: new Map(),
      qrOf: new Map(),
      messageLinks: new Map(),
      profiles: new Map(),
    }
    states.set(net, state)
  }
  return state
}

/**
 * IQs of calls, business profiles and catalogs, labels, devices and sync; answers the result's
 * children, undefined for an empty result, or PASS when the IQ is not one of these.
 */
export function answerExtras(
  net: TestNetwork,
  conn: ChatConnection,
  iq: BinaryNode,
): BinaryNode[] | undefined | typeof PASS {
  const [first] = children(iq)
  const state = extrasState(net)
  switch (`${iq.attrs.xmlns}:${iq.attrs.type}:${first?.tag}`) {
    case 'bot:get:bot':
      return [
        {
          tag: 'bot',
          attrs: {},
          content: [
            {
              tag: 'section',
              attrs: { type: 'all' },
              content: state.bots.map((b) => ({
                tag: 'bot',
                attrs: { jid: b.jid, persona_id: b.personaId },
              })),
            },
          ],
        },
      ]
    case 'usync:get:usync':
      return botProfiles(state, first!)
    case 'w:qr:set:qr': {
      const account = conn.account
      if (!account || first?.attrs.type !== 'contact')
        return [{ tag: 'error', attrs: { code: '400', text: 'bad-request' } }]
      let code = state.qrOf.get(account.phone)
      if (!code || first.attrs.action === 'revoke') {
        if (code) state.qrCodes.delete(code)
        code = randomBytes(9).toString('base64url').toUpperCase()
        state.qrCodes.set(code, account.phone)
        state.qrOf.set(account.phone, code)
      }
      return [{ tag: 'qr', attrs: { type: 'contact', code } }]
    }
    case 'w:qr:get:qr':
      return resolveQr(net, state, first?.attrs.code ?? '')
    case 'w:biz:get:business_profile': {
      const jid = getBinaryNodeChild(first, 'profile')?.attrs.jid ?? ''
      const found = net.accounts.resolve(jid)
      const profile = found ? state.profiles.get(found.account.phone) : undefined
      if (!found || !profile) return [{ tag: 'business_profile', attrs: {} }]
      return [
        {
          tag: 'business_profile',
          attrs: {},
          content: [
            {
              tag: 'profile',
              attrs: { jid: pnJid(found.account.phone) },
              content: [
                leaf('address', profile.address),
                leaf('description', profile.description),
                leaf('website', profile.website),
                leaf('email', profile.email),
                { tag: 'categories', attrs: {}, content: [leaf('category', profile.category)] },
              ],
            },
          ],
        },
      ]
    }
    default:
      return PASS
  }
}

/** A `usync` with the `bot` protocol: each asked bot's profile. Other usyncs go on (PASS). */
function botProfiles(state: ExtrasState, usync: BinaryNode): BinaryNode[] | typeof PASS {
  const protocols = children(getBinaryNodeChild(usync, 'query')).map((p) => p.tag)
  if (!protocols.includes('bot')) return PASS
  const users = getBinaryNodeChildren(getBinaryNodeChild(usync, 'list'), 'user').flatMap((user) => {
    const bot = state.bots.find((b) => b.jid === user.attrs.jid)
    if (!bot) return []
    const profile: BinaryNode = {
      tag: 'profile',
      attrs: { persona_id: bot.personaId },
      content: [
        leaf('name', bot.name),
        leaf('attributes', bot.attributes),
        leaf('description', bot.description),
        leaf('category', bot.category),
        {
          tag: 'commands',
          attrs: {},
          content: [
            leaf('description', `${bot.name} commands`),
            ...bot.commands.map((c) => ({
              tag: 'command',
              attrs: {},
              content: [leaf('name', c.name), leaf('description', c.description)],
            })),
          ],
        },
        {
          tag: 'prompts',
          attrs: {},
          content: bot.prompts.map((p) => ({
            tag: 'prompt',
            attrs: {},
            content: [leaf('emoji', p.emoji), leaf('text', p.text)],
          })),
        },
      ],
    }
    return [
      { tag: 'user', attrs: { jid: bot.jid }, content: [{ tag: 'bot', attrs: {}, content: [profile] }] },
    ]
  })
  return [
    {
      tag: 'usync',
      attrs: { sid: usync.attrs.sid ?? '', index: '0', last: 'true', mode: usync.attrs.mode ?? 'query' },
      content: [{ tag: 'list', attrs: {}, content: users }],
    },
  ]
}

/** `w:qr` get: a business message link or a contact QR code → who it points at. */
function resolveQr(net: TestNetwork, state: ExtrasState, code: string): BinaryNode[] {
  const link = state.messageLinks.get(code)
  if (link) {
    const account = net.accounts.get(link.phone)
    if (!account) return notFound()
    const profile = state.profiles.get(account.phone)
    return [
      {
        tag: 'qr',
        attrs: { jid: pnJid(account.phone), notify: account.name, type: 'message' },
        content: [
          leaf('message', link.message),
          {
            tag: 'business',
            attrs: {
              is_signed: profile ? 'true' : 'false',
              verified_name: account.name,
              verified_level: profile ? 'high' : 'unknown',
            },
          },
        ],
      },
    ]
  }
  const phone = state.qrCodes.get(code)
  const account = phone ? net.accounts.get(phone) : undefined
  if (!account) return notFound()
  return [{ tag: 'qr', attrs: { jid: pnJid(account.phone), notify: account.name, type: 'contact' } }]
}

/** Stanzas other than IQs, messages, receipts and presences (`call`…); false: not handled. */
export function onExtraNode(net: TestNetwork, conn: ChatConnection, node: BinaryNode): boolean {
  if (node.tag !== 'call' || !conn.account || !conn.device) return false
  relayCall(net, conn.account, conn, node)
  return true
}

/**
 * A call stanza (offer, accept, reject, terminate…): acked to its sender, then delivered to every
 * device of the other party, from the sender in the addressing the sender used for it. An offer
 * names its caller by LID with `caller_pn` when it was addressed to a LID, and the relays report
 * their latency to the callee right after it.
 */
function relayCall(net: TestNetwork, account: Account, conn: ChatConnection, node: BinaryNode) {
  const { id = '', to = '' } = node.attrs
  const [info] = children(node)
  conn.send({ tag: 'ack', attrs: { class: 'call', id, from: to, ...(info ? { type: info.tag } : {}) } })
  const target = net.accounts.resolve(to)
  if (!info || !target || target.account === account) return
  // A blocked caller's call never rings (nor does anything else it sends about calls).
  if (target.account.blocked.has(account)) return
  const lid = target.server === 'lid'
  const from = lid ? lidJid(account.lid) : pnJid(account.phone)
  const stanza = (child: BinaryNode): BinaryNode => ({
    tag: 'call',
    attrs: { from, id: net.nextId(), t: now(), ...(child.tag === 'offer' ? { notify: account.name } : {}) },
    content: [child],
  })
  const offer =
    info.tag === 'offer' && lid
      ? { ...info, attrs: { ...info.attrs, caller_pn: pnJid(account.phone) } }
      : info
  for (const device of target.account.devices.values()) {
    net.deliver(device, stanza(offer))
    if (info.tag === 'offer')
      net.deliver(
        device,
        stanza({
          tag: 'relaylatency',
          attrs: {
            'call-id': info.attrs['call-id'] ?? '',
            'call-creator': info.attrs['call-creator'] ?? '',
            latency: '33',
          },
        }),
      )
  }
}

/**
 * A status post (`to=status@broadcast`): like a group message, each device named in
 * `<participants>` gets its own `<enc>` (the sender key) then the shared `skmsg`, from
 * `status@broadcast` with the poster (by LID, whose sender key Baileys uses for statuses) as
 * participant. The poster's own sending device gets nothing.
 */
export function relayStatus(net: TestNetwork, conn: ChatConnection, message: BinaryNode): void {
  const account = conn.account!
  const device = conn.device!
  const { id = '', type = 'text' } = message.attrs
  conn.send({ tag: 'ack', attrs: { class: 'message', id, from: 'status@broadcast', t: now() } })
  const identity = getBinaryNodeChild(message, 'device-identity')
  const shared = getBinaryNodeChildren(message, 'enc')
  for (const node of getBinaryNodeChildren(getBinaryNodeChild(message, 'participants'), 'to')) {
    const found = net.accounts.resolve(node.attrs.jid ?? '')
    const target = found?.account.devices.get(found.device)
    if (!found || !target || (found.account === account && found.device === device.id)) continue
    if (found.account.blocked.has(account)) continue
    const own = getBinaryNodeChildren(node, 'enc')
    net.deliver(target, {
      tag: 'message',
      attrs: {
        from: 'status@broadcast',
        participant: lidJid(account.lid, device.id),
        participant_pn: pnJid(account.phone, device.id),
        addressing_mode: 'lid',
        id,
        t: now(),
        type,
        notify: account.name,
      },
      content: [...own, ...shared, ...(identity && own.length > 0 ? [identity] : [])],
    })
  }
}

/**
 * The phone answers a companion's history request (one chat back from its oldest message, or a
 * full history) with one ON_DEMAND chunk of its copies of what contacts sent, naming the request.
 * Returns false for other peer requests.
 */
export function answerHistoryRequest(
  net: TestNetwork,
  account: Account,
  deviceId: number,
  stanzaId: string,
  request: proto.Message.IPeerDataOperationRequestMessage,
): boolean {
  const T = proto.Message.PeerDataOperationRequestType
  const type = request.peerDataOperationRequestType
  if (type !== T.HISTORY_SYNC_ON_DEMAND && type !== T.FULL_HISTORY_SYNC_ON_DEMAND) return false
  const byChat = new Map<string, HistoryChat['messages']>()
  for (const copy of account.phoneCopies.values()) {
    const sender = net.accounts.resolve(copy.key?.remoteJid ?? '')?.account
    if (!sender || !copy.key?.id) continue
    const text = copy.message?.conversation ?? copy.message?.extendedTextMessage?.text ?? ''
    const list = byChat.get(sender.phone) ?? []
    list.push({ id: copy.key.id, text, timestamp: Number(copy.messageTimestamp ?? 0) || undefined })
    byChat.set(sender.phone, list)
  }
  let chats: HistoryChat[]
  let requestId = stanzaId
  if (type === T.HISTORY_SYNC_ON_DEMAND) {
    const ask = request.historySyncOnDemandRequest
    const chat = net.accounts.resolve(ask?.chatJid ?? '')?.account
    const before = Number(ask?.oldestMsgTimestampMs ?? 0) / 1000
    const count = ask?.onDemandMsgCount ?? 50
    const older = (chat ? (byChat.get(chat.phone) ?? []) : []).filter(
      (m) => !before || (m.timestamp ?? 0) <= before,
    )
    chats = chat ? [{ chat: chat.phone, messages: older.slice(-count) }] : []
  } else {
    requestId = request.fullHistorySyncOnDemandRequest?.requestMetadata?.requestId || stanzaId
    chats = [...byChat].map(([phone, messages]) => ({ chat: phone, messages }))
  }
  sendHistory(net, account, deviceId, 'ON_DEMAND', chats, requestId).catch((err) =>
    net.log.warn({ err }, 'the phone could not answer a history request'),
  )
  return true
}
