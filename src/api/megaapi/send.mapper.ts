import { validation } from '../../services/errors.js'
import { MEDIA_MESSAGES } from '../../services/messages.model.js'
import type { ContentRequest } from '../../services/messages.service.js'
import { bare, parseRecipient } from '../../services/recipient.js'

/** Mega-api's media `type`: `ptt` is a voice note, `audio` a plain audio file. */
export type MediaType = 'image' | 'video' | 'audio' | 'ptt' | 'document'

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v)
const str = (v: unknown) => (typeof v === 'string' ? v : undefined)

/** The file name a URL ends with ('' when none). */
export const nameInUrl = (url: string) => {
  try {
    return decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '')
  } catch {
    return ''
  }
}

/** mediaUrl / mediaBase64 → the service's media content (caption on image, video and document). */
export function mediaContent(m: {
  type: MediaType
  source: string
  fileName?: string | undefined
  caption?: string | undefined
  mimeType?: string | undefined
}): ContentRequest {
  const { source, caption } = m
  const mimetype = m.mimeType?.trim() || undefined
  switch (m.type) {
    case 'image':
      return { kind: 'image', source, mimetype, caption }
    case 'video':
      return { kind: 'video', source, mimetype, caption }
    case 'audio':
    case 'ptt':
      return { kind: 'audio', source, mimetype, ptt: m.type === 'ptt' }
    case 'document':
      return {
        kind: 'document',
        source,
        mimetype,
        caption,
        fileName: m.fileName?.trim() || (/^https?:/i.test(source) && nameInUrl(source)) || 'file',
      }
  }
}

/** `data:` URI or bare base64 (Zapwire accepts both); a URL belongs in `mediaUrl`. */
export function base64Source(input: string): string {
  const text = input.trim()
  if (/^https?:\/\//i.test(text))
    throw validation('base64 must be a data URI or base64, not a URL (use mediaUrl)')
  return text
}

/**
 * Latitude/longitude in degrees, as numbers or numeric strings. Mega-api's own example sends
 * 157470795 / 482982315 — degrees with sign and decimal point stripped, which cannot be recovered
 * (the sign is lost) — so values outside ±90/±180 are refused rather than guessed at.
 */
export function degrees(value: number | string, what: 'latitude' | 'longitude'): number {
  const n = typeof value === 'number' ? value : Number(String(value).trim().replace(',', '.'))
  const max = what === 'latitude' ? 90 : 180
  if (!Number.isFinite(n) || Math.abs(n) > max)
    throw validation(
      `${what} must be degrees between -${max} and ${max} with a decimal point (e.g. ${what === 'latitude' ? '-15.7470795' : '-48.2982315'}); got ${value}`,
    )
  return n
}

const vcardText = (v: string) => v.replace(/\\/g, '\\\\').replace(/\r?\n/g, '\\n').replace(/[;,]/g, '\\$&')

/** contactMessage's `vcard{fullName, displayName, organization, phoneNumber}` → a vCard 3.0. */
export function contactContent(v: {
  fullName?: string | undefined
  displayName?: string | undefined
  organization?: string | undefined
  phoneNumber: string
}): ContentRequest {
  const fullName = v.fullName?.trim() || v.displayName?.trim()
  if (!fullName) throw validation('vcard.fullName (or vcard.displayName) is required')
  const digits = v.phoneNumber.replace(/\D/g, '')
  if (digits.length < 7 || digits.length > 15)
    throw validation('vcard.phoneNumber must be a phone number with country and area code (7–15 digits)')
  const lines = [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `FN:${vcardText(fullName)}`,
    ...(v.organization?.trim() ? [`ORG:${vcardText(v.organization.trim())};`] : []),
    `TEL;type=CELL;type=VOICE;waid=${digits}:+${digits}`,
    'END:VCARD',
  ]
  return { kind: 'contact', name: v.displayName?.trim() || fullName, vcard: lines.join('\n') }
}

export interface ListBody {
  text: string
  buttonText: string
  title?: string | undefined
  description?: string | undefined
  sections: {
    title?: string | undefined
    rows: { title: string; description?: string | undefined; rowId: string }[]
  }[]
}

/** listMessage: `text` is the body, `title` the title, `description` the footer (`footerText`). */
export function listContent(b: ListBody): ContentRequest {
  return {
    kind: 'list',
    title: b.title,
    text: b.text,
    buttonText: b.buttonText,
    footer: b.description,
    sections: b.sections.map((s) => ({
      title: s.title ?? '',
      rows: s.rows.map((r) => ({ id: r.rowId, title: r.title, description: r.description })),
    })),
  }
}

/** Mentions as JIDs or bare numbers → JIDs (400 for anything else). */
export const mentionJids = (mentions: string[]) => mentions.map((m) => parseRecipient(m))

/** Recipients of a ToMany send, each checked before anything is sent. */
export function recipients(to: string[]): string[] {
  const bad = to.filter((r) => {
    try {
      parseRecipient(r)
      return false
    } catch {
      return true
    }
  })
  if (bad.length) throw validation(`invalid phone or JID in to: ${bad.join(', ')}`)
  return to
}

const WRAPPERS = new Set([
  'ephemeralMessage',
  'viewOnceMessage',
  'viewOnceMessageV2',
  'viewOnceMessageV2Extension',
  'documentWithCaptionMessage',
])

/** A message object as a webhook shows it, without its wrappers (ephemeral, view once…). */
export function innerMessage(message: Json): { type: string; body: Json | string } | undefined {
  let m = message
  for (;;) {
    const type = Object.keys(m).find((k) => k !== 'messageContextInfo' && m[k] != null)
    if (!type) return undefined
    const body = m[type]
    if (WRAPPERS.has(type) && isObject(body) && isObject(body.message)) {
      m = body.message
      continue
    }
    return { type, body: typeof body === 'string' ? body : isObject(body) ? body : {} }
  }
}

/** The text a quoted message shows (its text or caption). */
export function textOf(message: Json): string | undefined {
  const inner = innerMessage(message)
  if (!inner) return undefined
  if (typeof inner.body === 'string') return inner.body
  return (
    str(inner.body.text) ?? str(inner.body.caption) ?? str(inner.body.name) ?? str(inner.body.displayName)
  )
}

export const MEDIA_KINDS: Record<string, 'image' | 'video' | 'audio' | 'document' | 'sticker'> =
  MEDIA_MESSAGES

/** Bytes as a webhook gives them: base64, or Node's Buffer JSON. */
const bytes = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v
  if (isObject(v) && Array.isArray(v.data)) return Buffer.from(v.data as number[]).toString('base64')
  return undefined
}

export type Forwardable =
  | { content: ContentRequest }
  | {
      media: {
        kind: 'image' | 'video' | 'audio' | 'document' | 'sticker'
        url?: string | undefined
        directPath?: string | undefined
        mediaKey: string
        fileSha256?: string | undefined
      }
      /** The content once the file is downloaded (as a data URL). */
      content: (source: string) => ContentRequest
    }

/**
 * A received message (the webhook's `message{}`) → what forwarding it sends: its text, place,
 * contact or list as they are; media downloaded from WhatsApp and sent again.
 */
export function forwardable(message: Json): Forwardable {
  const inner = innerMessage(message)
  if (!inner) throw validation('message is empty: give the webhook’s message{} (or a stored message’s key)')
  const { type, body } = inner
  if (typeof body === 'string') {
    if (type !== 'conversation') throw validation(`cannot forward a ${type}`)
    return { content: { kind: 'text', text: body } }
  }
  if (type === 'extendedTextMessage' && str(body.text))
    return { content: { kind: 'text', text: str(body.text)! } }
  if (type === 'locationMessage' || type === 'liveLocationMessage') {
    const lat = Number(body.degreesLatitude)
    const lon = Number(body.degreesLongitude)
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) throw validation('the location has no coordinates')
    return {
      content: {
        kind: 'location',
        latitude: degrees(lat, 'latitude'),
        longitude: degrees(lon, 'longitude'),
        name: str(body.name),
        address: str(body.address),
      },
    }
  }
  if (type === 'contactMessage' && str(body.vcard))
    return {
      content: { kind: 'contact', name: str(body.displayName) ?? 'Contact', vcard: str(body.vcard)! },
    }
  if (type === 'listMessage' && Array.isArray(body.sections)) {
    const sections = (body.sections as Json[]).map((s) => ({
      title: str(s.title),
      rows: (Array.isArray(s.rows) ? (s.rows as Json[]) : []).map((r) => ({
        rowId: str(r.rowId) ?? '',
        title: str(r.title) ?? '',
        description: str(r.description),
      })),
    }))
    return {
      content: listContent({
        text: str(body.description) ?? '',
        buttonText: str(body.buttonText) ?? '',
        title: str(body.title),
        description: str(body.footerText),
        sections,
      }),
    }
  }
  const kind = MEDIA_KINDS[type]
  if (kind) {
    const mediaKey = bytes(body.mediaKey)
    if (!mediaKey || !(str(body.directPath) || str(body.url)))
      throw validation(`the ${type} has no mediaKey and directPath/url to download it from`)
    const mimetype = str(body.mimetype)
    const caption = str(body.caption)
    return {
      media: {
        kind,
        url: str(body.url),
        directPath: str(body.directPath),
        mediaKey,
        fileSha256: bytes(body.fileSha256),
      },
      content: (source) => {
        switch (kind) {
          case 'image':
            return { kind, source, mimetype, caption }
          case 'video':
            return { kind, source, mimetype, caption, ptv: type === 'ptvMessage' || undefined }
          case 'audio':
            return { kind, source, mimetype, ptt: body.ptt === true }
          case 'document':
            return { kind, source, mimetype, caption, fileName: str(body.fileName) || 'file' }
          case 'sticker':
            return { kind, source, mimetype }
        }
      },
    }
  }
  throw validation(`cannot forward a ${type}`)
}

/** location: degrees as numbers or numeric strings; `caption` is the place's name. */
export function locationContent(d: {
  latitude: number | string
  longitude: number | string
  address?: string | undefined
  caption?: string | undefined
}): ContentRequest {
  return {
    kind: 'location',
    latitude: degrees(d.latitude, 'latitude'),
    longitude: degrees(d.longitude, 'longitude'),
    name: d.caption || undefined,
    address: d.address || undefined,
  }
}

/** sendLinkPreview: the text must hold an http(s) URL, whose page gives the preview. */
export function linkPreviewContent(textWithLink: string): ContentRequest {
  if (!/https?:\/\/\S+/i.test(textWithLink)) throw validation('textWithLink must contain an http(s) URL')
  return { kind: 'text', text: textWithLink, linkPreview: true }
}

/**
 * quoteMessage's key{} and message{} → the quoted message: its id, who wrote it (`participant`,
 * or this number for `fromMe`; checked as a JID) and its text for the preview.
 */
export function quotedOf(
  key: { id?: string | undefined; fromMe?: boolean | undefined; participant?: string | undefined },
  message: Json | undefined,
  ownJid: string,
) {
  if (!key.id) throw validation('key.id is required: the id of the message to quote')
  const participant = key.participant?.trim()
    ? parseRecipient(key.participant)
    : key.fromMe
      ? bare(ownJid)
      : ''
  return { id: key.id, participant: participant || undefined, text: textOf(message ?? {}) }
}
