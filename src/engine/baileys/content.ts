import type { AnyMessageContent, proto, WAMessageKey } from 'baileys'
import type { MessageRef, OutboundContent, SendOptions } from '../messages.js'

const keyOf = (ref: MessageRef): WAMessageKey => ({
  remoteJid: ref.chat,
  fromMe: ref.fromMe,
  id: ref.id,
  ...(ref.participant ? { participant: ref.participant } : {}),
})

/** Zapwire's outbound content and options → what Baileys' sendMessage takes. */
export function toBaileysContent(content: OutboundContent, options: SendOptions): AnyMessageContent {
  const contextInfo: proto.IContextInfo = {}
  if (options.quoted) {
    contextInfo.stanzaId = options.quoted.id
    contextInfo.participant = options.quoted.participant
    contextInfo.quotedMessage = { conversation: options.quoted.text ?? '' }
  }
  if (options.forwarded) {
    contextInfo.isForwarded = true
    contextInfo.forwardingScore = 1
  }
  if (options.ephemeralSeconds) contextInfo.expiration = options.ephemeralSeconds
  const extra = {
    ...(Object.keys(contextInfo).length > 0 ? { contextInfo } : {}),
    ...(options.mentions?.length ? { mentions: options.mentions } : {}),
    ...(options.mentionAll ? { mentionAll: true } : {}),
  }
  switch (content.kind) {
    case 'text':
      return { text: content.text, ...(content.linkPreview ? {} : { linkPreview: null }), ...extra }
    case 'image':
      return {
        image: content.data,
        mimetype: content.mimetype,
        caption: content.caption,
        viewOnce: content.viewOnce,
        ...extra,
      } as AnyMessageContent
    case 'video':
      return {
        video: content.data,
        mimetype: content.mimetype,
        caption: content.caption,
        viewOnce: content.viewOnce,
        ptv: content.ptv,
        gifPlayback: content.gif,
        ...(content.jpegThumbnail ? { jpegThumbnail: content.jpegThumbnail.toString('base64') } : {}),
        ...extra,
      } as AnyMessageContent
    case 'audio':
      return {
        audio: content.data,
        mimetype: content.mimetype,
        ptt: content.ptt,
        viewOnce: content.viewOnce,
        ...extra,
      } as AnyMessageContent
    case 'document':
      return {
        document: content.data,
        mimetype: content.mimetype,
        fileName: content.fileName,
        caption: content.caption,
        ...extra,
      } as AnyMessageContent
    case 'sticker':
      return { sticker: content.data, mimetype: content.mimetype, ...extra } as AnyMessageContent
    case 'location':
      return {
        location: {
          degreesLatitude: content.latitude,
          degreesLongitude: content.longitude,
          name: content.name,
          address: content.address,
        },
        ...extra,
      } as AnyMessageContent
    case 'contact':
      return {
        contacts: {
          displayName: content.name,
          contacts: [{ displayName: content.name, vcard: content.vcard }],
        },
        ...extra,
      } as AnyMessageContent
    case 'poll':
      return {
        poll: { name: content.question, values: content.options, selectableCount: content.selectable },
        ...extra,
      } as AnyMessageContent
    case 'event':
      return {
        event: {
          name: content.name,
          description: content.description,
          startDate: new Date(content.startTime * 1000),
          ...(content.endTime ? { endDate: new Date(content.endTime * 1000) } : {}),
          ...(content.location ? { location: { name: content.location } } : {}),
        },
        ...extra,
      } as AnyMessageContent
    case 'reaction':
      return { react: { text: content.emoji, key: keyOf(content.target) } }
    case 'edit':
      return { text: content.text, edit: keyOf(content.target) }
    case 'revoke':
      return { delete: keyOf(content.target) }
  }
}
