import {
  ALL_WA_PATCH_NAMES,
  type BinaryNode,
  generateMessageIDV2,
  generateWAMessage,
  generateWAMessageFromContent,
  getBinaryNodeChild,
  getBinaryNodeChildren,
  jidDecode,
  jidNormalizedUser,
  proto,
  S_WHATSAPP_NET,
  type WACallEvent,
} from 'baileys'
import type { BotInfo, BotProfile, ExtrasPort, StatusContent, UserDevice } from '../extras.js'
import { EngineRefusal } from '../port.js'
import type { AdapterContext, Socket } from './context.js'

const STATUS = 'status@broadcast'
const text = (node: BinaryNode | undefined) =>
  node?.content instanceof Uint8Array ? Buffer.from(node.content).toString() : ''
const norm = (jid: string | null | undefined) => (jid ? jidNormalizedUser(jid) : '')
/** An ARGB integer as the 8-digit hex Baileys expects (it mishandles numbers). */
const hexArgb = (argb: number | undefined) =>
  argb === undefined ? undefined : (argb >>> 0).toString(16).padStart(8, '0')

/** Baileys call statuses → the event names of the wuzapi family. */
const CALL_EVENTS: Partial<Record<WACallEvent['status'], string>> = {
  offer: 'CallOffer',
  accept: 'CallAccept',
  reject: 'CallTerminate',
  timeout: 'CallTerminate',
  terminate: 'CallTerminate',
  relaylatency: 'CallRelayLatency',
}

/** Calls, status posts, labels, business, devices and app-state/history sync through Baileys. */
export function extrasOf(ctx: AdapterContext): ExtrasPort {
  const { socket } = ctx
  socket.ev.on('call', (calls) => {
    for (const call of calls) {
      reportCall(ctx, call).catch((err) => ctx.logger.warn({ err }, 'reporting a call failed'))
    }
  })

  const appPatch = async (run: () => Promise<void>) => {
    try {
      await run()
    } catch (err) {
      if (/App state key/i.test((err as Error).message))
        throw new EngineRefusal(409, 'the phone has not shared its app-state key yet')
      throw err
    }
  }

  return {
    rejectCall: (callId, from) => socket.rejectCall(callId, from),

    postStatus: async (content, recipients, id) => {
      const messageId = id ?? generateMessageIDV2(socket.user?.id)
      const generated = await generateWAMessage(STATUS, statusContent(content), {
        userJid: socket.user!.id,
        messageId,
        upload: socket.waUploadToServer,
        mediaUploadTimeoutMs: 60_000,
        ...(content.kind === 'text'
          ? {
              ...(content.backgroundArgb !== undefined
                ? { backgroundColor: hexArgb(content.backgroundArgb) }
                : {}),
              ...(content.font !== undefined ? { font: content.font } : {}),
            }
          : {}),
      } as never)
      const message = generated.message!
      if (content.kind === 'text' && content.textArgb !== undefined && message.extendedTextMessage)
        message.extendedTextMessage.textArgb = content.textArgb >>> 0
      const ack = serverAck(socket, messageId, 15_000)
      await socket.relayMessage(STATUS, message, { messageId, statusJidList: recipients })
      const error = await ack
      if (error !== undefined) throw new EngineRefusal(error, `WhatsApp refused the status (${error})`)
      return { id: messageId, timestamp: Number(generated.messageTimestamp ?? Math.floor(Date.now() / 1000)) }
    },

    editLabel: (label) =>
      appPatch(() =>
        socket.addLabel('', { id: label.id, name: label.name, color: label.color, deleted: label.deleted }),
      ),
    labelChat: (chat, labelId, apply) =>
      appPatch(() => (apply ? socket.addChatLabel(chat, labelId) : socket.removeChatLabel(chat, labelId))),
    labelMessage: (chat, messageId, labelId, apply) =>
      appPatch(() =>
        apply
          ? socket.addMessageLabel(chat, messageId, labelId)
          : socket.removeMessageLabel(chat, messageId, labelId),
      ),

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

    userDevices: async (users) => devicesOf(await socket.getUSyncDevices(users, false, false)),

    ownDevices: async () => {
      const me = ctx.me()
      const mine = jidDecode(me.id)
      const others = devicesOf(await socket.getUSyncDevices([norm(me.id)], false, false))
      const self = { user: norm(me.id), device: mine?.device ?? 0, jid: me.id }
      return [...others.filter((d) => d.device !== self.device), self].sort((a, b) => a.device - b.device)
    },

    ownDevice: () => jidDecode(ctx.me().id)?.device ?? 0,

    syncAppState: async (full) => {
      const results = []
      for (const name of ALL_WA_PATCH_NAMES) {
        const started = Date.now()
        try {
          if (full) await socket.authState.keys.set({ 'app-state-sync-version': { [name]: null } })
          await socket.resyncAppState([name], full)
          results.push({ name, success: true, durationMs: Date.now() - started })
        } catch (err) {
          results.push({
            name,
            success: false,
            error: (err as Error).message,
            durationMs: Date.now() - started,
          })
        }
      }
      return results
    },

    requestHistory: async (request, requestId) => {
      const pdo: proto.Message.IPeerDataOperationRequestMessage =
        request.kind === 'chat'
          ? {
              peerDataOperationRequestType: proto.Message.PeerDataOperationRequestType.HISTORY_SYNC_ON_DEMAND,
              historySyncOnDemandRequest: {
                chatJid: request.chat,
                oldestMsgId: request.oldest.id,
                oldestMsgFromMe: request.oldest.fromMe,
                oldestMsgTimestampMs: request.oldest.timestampMs,
                onDemandMsgCount: request.count,
              },
            }
          : {
              peerDataOperationRequestType:
                proto.Message.PeerDataOperationRequestType.FULL_HISTORY_SYNC_ON_DEMAND,
              fullHistorySyncOnDemandRequest: {
                requestMetadata: { requestId },
                historySyncConfig: {
                  fullSyncDaysLimit: request.daysLimit,
                  fullSyncSizeMbLimit: request.sizeMbLimit,
                  supportCallLogHistory: request.includeCalls,
                  supportGroupHistory: request.includeGroups,
                },
              },
            }
      // As Baileys' sendPeerDataOperationMessage, with our own id: the phone names it in its answer.
      await socket.relayMessage(
        norm(ctx.me().id),
        {
          protocolMessage: {
            type: proto.Message.ProtocolMessage.Type.PEER_DATA_OPERATION_REQUEST_MESSAGE,
            peerDataOperationRequestMessage: pdo,
          },
        },
        {
          messageId: requestId,
          additionalAttributes: { category: 'peer', push_priority: 'high_force' },
          additionalNodes: [{ tag: 'meta', attrs: { appdata: 'default' } }],
        },
      )
    },
  }
}

function statusContent(content: StatusContent) {
  switch (content.kind) {
    case 'text':
      return { text: content.text }
    case 'image':
      return { image: content.data, mimetype: content.mimetype, caption: content.caption }
    case 'video':
      return { video: content.data, mimetype: content.mimetype, caption: content.caption }
    case 'audio':
      return { audio: content.data, mimetype: content.mimetype, ptt: content.ptt }
  }
}

const devicesOf = (list: { user: string; device?: number; jid?: string; server?: string }[]): UserDevice[] =>
  list.map((d) => {
    const server = d.server ?? (d.jid ? jidDecode(d.jid)?.server : undefined) ?? 's.whatsapp.net'
    return {
      user: `${d.user}@${server}`,
      device: d.device ?? 0,
      jid: d.jid ?? `${d.user}${d.device ? `:${d.device}` : ''}@${server}`,
    }
  })

/** The server's ack of a stanza we sent: its error code, undefined when accepted (or no ack came). */
function serverAck(socket: Socket, id: string, timeoutMs: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const onAck = (node: BinaryNode) => {
      if (node.attrs.id !== id) return
      done(node.attrs.error ? Number(node.attrs.error) : undefined)
    }
    const timer = setTimeout(() => done(undefined), timeoutMs)
    const done = (error: number | undefined) => {
      clearTimeout(timer)
      socket.ws.off('CB:ack,class:message', onAck)
      resolve(error)
    }
    socket.ws.on('CB:ack,class:message', onAck)
  })
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

/** A Baileys call event → CallOffer/CallAccept/CallTerminate/CallRelayLatency, ordered by the caller. */
async function reportCall(ctx: AdapterContext, call: WACallEvent) {
  const name = CALL_EVENTS[call.status]
  if (!name) return
  const mapping = ctx.socket.signalRepository.lidMapping
  const from = norm(call.from)
  const chatJid = norm(call.chatId)
  const pn =
    norm(call.callerPn) ||
    (from.endsWith('@s.whatsapp.net') ? from : norm(await mapping.getPNForLID(from).catch(() => null)))
  const lid = from.endsWith('@lid') ? from : norm(await mapping.getLIDForPN(from).catch(() => null))
  ctx.onEvent({
    type: 'notice',
    name,
    chat: pn || from,
    data: {
      CallID: call.id,
      From: chatJid,
      CallCreator: call.from,
      CallerPN: pn,
      CallerLID: lid,
      Timestamp: call.date.toISOString(),
      GroupJID: call.groupJid ?? '',
      IsVideo: Boolean(call.isVideo),
      IsGroup: Boolean(call.isGroup),
      Offline: call.offline,
      ...(name === 'CallTerminate' ? { Reason: call.status === 'terminate' ? '' : call.status } : {}),
      ...(call.latencyMs !== undefined ? { LatencyMs: call.latencyMs } : {}),
    },
  })
}
