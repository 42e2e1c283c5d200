import type { StoredMessage } from '../../services/messages.model.js'
import type { SendResult } from '../../services/messages.service.js'
import { innerMessage, MEDIA_KINDS } from './send.mapper.js'

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v)
const str = (v: unknown) => (typeof v === 'string' ? v : undefined)

// ── answers ──────────────────────────────────────────────────────────────────────────────────

/** Stored status → Baileys' `WAMessageStatus` number (2 sent, 3 delivered, 4 read, 5 played). */
const STATUS: Record<string, number> = { failed: 0, sent: 2, delivered: 3, read: 4, played: 5 }

const numberOrUndefined = (v: unknown) => (v == null || v === '' ? undefined : Number(v))
const stringOrUndefined = (v: unknown) => (v == null ? undefined : String(v))

/** The documented per-type fields of a sent message, from its content. */
function typeFields(content: Json) {
  const inner = innerMessage(content)
  if (!inner) return {}
  const { type, body } = inner
  if (typeof body === 'string') return { text: body }
  const ctx = isObject(body.contextInfo) ? body.contextInfo : {}
  const mentioned = Array.isArray(ctx.mentionedJid) ? { mentionedJid: ctx.mentionedJid as string[] } : {}
  if (type === 'extendedTextMessage') return { text: str(body.text) ?? '', ...mentioned }
  if (MEDIA_KINDS[type])
    return {
      ...(str(body.caption) !== undefined ? { text: str(body.caption), caption: str(body.caption) } : {}),
      url: str(body.url),
      mimetype: str(body.mimetype),
      mediaKey: str(body.mediaKey),
      fileName: str(body.fileName),
      directPath: str(body.directPath),
      mediaKeyTimestamp: stringOrUndefined(body.mediaKeyTimestamp),
      ...mentioned,
    }
  if (type === 'locationMessage')
    return {
      degreesLatitude: numberOrUndefined(body.degreesLatitude),
      degreesLongitude: numberOrUndefined(body.degreesLongitude),
      name: str(body.name),
      address: str(body.address),
    }
  if (type === 'contactMessage') return { displayName: str(body.displayName), vcard: str(body.vcard) }
  if (type === 'listMessage')
    return {
      text: str(body.description),
      title: str(body.title),
      description: str(body.description),
      buttonText: str(body.buttonText),
      listType: stringOrUndefined(body.listType),
      sections: Array.isArray(body.sections) ? (body.sections as Json[]) : [],
      footerText: str(body.footerText),
    }
  return {}
}

/**
 * A sent message in Mega-api's answer: the documented flat fields (`formMe` as documented with
 * `fromMe` beside it, `messageTimestamp` as a string) and `messageData`, the message as a
 * Baileys `WAMessage` (key, message, messageTimestamp, status).
 */
export function sentView(result: SendResult, stored: StoredMessage | undefined, fileName?: string) {
  const remoteJid = result.jid || stored?.chat || result.lid
  const content = stored?.content ?? {}
  const fields = typeFields(content)
  const alt = result.lid && result.lid !== remoteJid ? { remoteJidAlt: result.lid } : {}
  return {
    remoteJid,
    ...alt,
    formMe: true,
    fromMe: true,
    id: result.id,
    messageTimestamp: String(result.timestamp),
    ...fields,
    ...(fileName && 'mediaKey' in fields && !fields.fileName ? { fileName } : {}),
    messageData: {
      key: { remoteJid, fromMe: true, id: result.id, ...alt },
      message: content,
      messageTimestamp: result.timestamp,
      status: STATUS[stored?.status ?? 'sent'] ?? 2,
    },
  }
}
