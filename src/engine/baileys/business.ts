import {
  type BinaryNode,
  generateMessageIDV2,
  generateWAMessageFromContent,
  getBinaryNodeChild,
  getBinaryNodeChildren,
  proto,
  S_WHATSAPP_NET,
} from 'baileys'
import type { BotInfo, BotProfile, ExtrasPort } from '../extras.js'
import { EngineRefusal } from '../port.js'
import type { AdapterContext, Socket } from './context.js'
import { normJid as norm, serverAck, nodeText as text } from './stanzas.js'

type BusinessPort = Pick<
  ExtrasPort,
  'bots' | 'botProfiles' | 'contactQr' | 'resolveBusinessLink' | 'sendOrder'
>

/** Business features through Baileys: AI bots, the contact QR, business message links, orders. */
export function businessOf(ctx: AdapterContext): BusinessPort {
  const { socket } = ctx
  return {
    bots: async () =>
      (await socket.getBotListV2()).map((b) => ({ jid: b.jid, personaId: b.personaId ?? '' })),
    botProfiles: (bots) => botProfiles(socket, bots),

    contactQr: async (revoke) => {
      const result = await socket.query({
        tag: 'iq',
        attrs: { to: S_WHATSAPP_NET, type: 'set', xmlns: 'w:qr' },
        content: [{ tag: 'qr', attrs: { type: 'contact', action: revoke ? 'revoke' : 'get' } }],
      })
      const code = getBinaryNodeChild(result, 'qr')?.attrs.code
      if (!code) throw new EngineRefusal(502, 'WhatsApp answered no contact QR code')
      return code
    },

    resolveBusinessLink: async (code) => {
      let result: BinaryNode
      try {
        result = await socket.query({
          tag: 'iq',
          attrs: { to: S_WHATSAPP_NET, type: 'get', xmlns: 'w:qr' },
          content: [{ tag: 'qr', attrs: { code } }],
        })
      } catch (err) {
        const status = Number(
          (err as { data?: unknown }).data ??
            (err as { output?: { statusCode?: number } }).output?.statusCode,
        )
        if (status === 404) throw new EngineRefusal(404, 'no business message link with this code')
        throw err
      }
      const qr = getBinaryNodeChild(result, 'qr')
      if (!qr?.attrs.jid) throw new EngineRefusal(404, 'no business message link with this code')
      const business = getBinaryNodeChild(qr, 'business')
      return {
        jid: norm(qr.attrs.jid),
        pushName: qr.attrs.notify ?? '',
        message: text(getBinaryNodeChild(qr, 'message')),
        verifiedName: business?.attrs.verified_name ?? '',
        verifiedLevel: business?.attrs.verified_level ?? '',
        signed: business?.attrs.is_signed === 'true',
      }
    },

    sendOrder: async (to, order) => {
      const messageId = generateMessageIDV2(socket.user?.id)
      const message = generateWAMessageFromContent(
        to,
        {
          orderMessage: {
            orderId: order.orderId,
            itemCount: order.itemCount,
            status: proto.Message.OrderMessage.OrderStatus.INQUIRY,
            surface: proto.Message.OrderMessage.OrderSurface.CATALOG,
            message: order.notes,
            orderTitle: order.title,
            sellerJid: to,
            totalAmount1000: order.total1000,
            totalCurrencyCode: order.currency,
          },
        },
        { userJid: socket.user!.id, messageId },
      )
      const ack = serverAck(socket, messageId, 15_000)
      await socket.relayMessage(to, message.message!, { messageId })
      const error = await ack
      if (error !== undefined) throw new EngineRefusal(error, `WhatsApp refused the order (${error})`)
      return { id: messageId, timestamp: Number(message.messageTimestamp ?? Math.floor(Date.now() / 1000)) }
    },
  }
}

/** whatsmeow's bot profile query: usync with the `bot` protocol, one `<user>` per bot. */
async function botProfiles(socket: Socket, bots: BotInfo[]): Promise<BotProfile[]> {
  if (bots.length === 0) return []
  const result = await socket.query({
    tag: 'iq',
    attrs: { to: S_WHATSAPP_NET, type: 'get', xmlns: 'usync' },
    content: [
      {
        tag: 'usync',
        attrs: {
          sid: generateMessageIDV2(),
          mode: 'query',
          last: 'true',
          index: '0',
          context: 'interactive',
        },
        content: [
          {
            tag: 'query',
            attrs: {},
            content: [{ tag: 'bot', attrs: {}, content: [{ tag: 'profile', attrs: { v: '1' } }] }],
          },
          {
            tag: 'list',
            attrs: {},
            content: bots.map((b) => ({
              tag: 'user',
              attrs: { jid: b.jid },
              content: [
                {
                  tag: 'bot',
                  attrs: {},
                  content: [{ tag: 'profile', attrs: { persona_id: b.personaId } }],
                },
              ],
            })),
          },
        ],
      },
    ],
  })
  const users = getBinaryNodeChildren(getBinaryNodeChild(getBinaryNodeChild(result, 'usync'), 'list'), 'user')
  return users.flatMap((user) => {
    const profile = getBinaryNodeChild(getBinaryNodeChild(user, 'bot'), 'profile')
    if (!profile) return []
    const commands = getBinaryNodeChild(profile, 'commands')
    return [
      {
        jid: user.attrs.jid ?? '',
        personaId: profile.attrs.persona_id ?? '',
        name: text(getBinaryNodeChild(profile, 'name')),
        description: text(getBinaryNodeChild(profile, 'description')),
        category: text(getBinaryNodeChild(profile, 'category')),
        attributes: text(getBinaryNodeChild(profile, 'attributes')),
        commands: getBinaryNodeChildren(commands, 'command').map((c) => ({
          name: text(getBinaryNodeChild(c, 'name')),
          description: text(getBinaryNodeChild(c, 'description')),
        })),
        prompts: getBinaryNodeChildren(getBinaryNodeChild(profile, 'prompts'), 'prompt').map((p) =>
          `${text(getBinaryNodeChild(p, 'emoji'))} ${text(getBinaryNodeChild(p, 'text'))}`.trim(),
        ),
      },
    ]
  })
}
