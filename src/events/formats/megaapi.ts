import type { ZapEvent } from '../event.js'

/** Ack statuses as Mega-api (Baileys' WAMessageStatus) numbers them. */
const ACK: Record<string, number> = { sent: 2, delivered: 3, read: 4, played: 5 }

/** Session events that end a connection: Mega-api's `connection_update` with state `close`. */
const CLOSES = new Set([
  'Disconnected',
  'LoggedOut',
  'StreamReplaced',
  'TemporaryBan',
  'ClientOutdated',
  'ConnectFailure',
  'KeepAliveTimeout',
  'QRTimeout',
])

const bare = (jid: string) => jid.replace(/:\d+(?=@)/, '')

/** Wrappers Mega-api names as the type (its ephemeral example: `ephemeralMessage`). */
const WRAPPERS = [
  'ephemeralMessage',
  'viewOnceMessage',
  'viewOnceMessageV2',
  'viewOnceMessageV2Extension',
  'documentWithCaptionMessage',
]

/**
 * Mega-api's `messageType`: the first key of `message` in WhatsApp's field order (so polls, orders
 * and interactive messages are `messageContextInfo`, as documented), except that a wrapper
 * (ephemeral, view once) names the type even after `messageContextInfo`, and the sender-key
 * distribution a group message carries is never the type.
 */
export function megaapiMessageType(message: Record<string, unknown>): string {
  const keys = Object.keys(message).filter((k) => k !== 'senderKeyDistributionMessage' && message[k] != null)
  return keys.find((k) => WRAPPERS.includes(k)) ?? keys[0] ?? 'unknown'
}

/**
 * An event as a Mega-api webhook receives it, or undefined for events Mega-api has no shape for
 * (they are not posted). Messages are Baileys `WAMessage`s plus `instance_key`, `jid`,
 * `isBusiness` and `messageType` (the first key of `message`); acks are `message.ack` with
 * `update.status` 2–5; session changes are `connection_update`; QR codes `qrcode`. Zapwire adds
 * the LID side of every address (`key.remoteJidAlt`, `key.participantAlt`).
 */
export function megaapiWebhookPayload(event: ZapEvent, instanceKey: string): object | undefined {
  const head = { instance_key: instanceKey, jid: bare(event.jid) }
  const d = event.data
  if (event.type === 'Message') {
    const message = (d.message ?? d.Message ?? {}) as Record<string, unknown>
    const group = String(d.chat ?? '').endsWith('@g.us')
    const sender = String(d.senderPn || d.senderLid || '')
    return {
      ...head,
      isBusiness: false,
      messageType: megaapiMessageType(message),
      key: {
        remoteJid: d.chat,
        fromMe: d.fromMe === true,
        id: d.id,
        ...(group ? { participant: sender, participantAlt: d.senderLid || '' } : {}),
        ...(!group && d.chatLid ? { remoteJidAlt: d.chatLid } : {}),
      },
      messageTimestamp: d.timestamp,
      pushName: d.pushName ?? '',
      broadcast: String(d.chat ?? '').endsWith('@broadcast'),
      message,
      ...(d.base64 !== undefined ? { base64: d.base64 } : {}),
      ...(d.s3 !== undefined ? { s3: d.s3 } : {}),
    }
  }
  if (event.type === 'MessageUpdate' && d.Kind === 'status') {
    const status = ACK[String(d.Status)]
    if (!status) return undefined
    return {
      ...head,
      messageType: 'message.ack',
      // A group's receipt names who acknowledged (as Baileys' group receipts do, in key.participant).
      key: {
        remoteJid: d.Chat,
        fromMe: true,
        id: d.ID,
        ...(String(d.Chat ?? '').endsWith('@g.us') && d.By ? { participant: d.By } : {}),
      },
      update: { status },
    }
  }
  if (event.type === 'Connected' || CLOSES.has(event.type))
    return {
      ...head,
      messageType: 'connection_update',
      connection_state: event.type === 'Connected' ? 'open' : 'close',
      timestamp: Math.floor(event.at.getTime() / 1000),
      ...(event.type === 'Connected' ? {} : { closeReason: event.type }),
    }
  if (event.type === 'QR') return { ...head, messageType: 'qrcode', qrcode: d.code ?? '' }
  return undefined
}
