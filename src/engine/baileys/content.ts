import type { AnyMessageContent, proto, WAMessageKey } from 'baileys'
import type { InteractiveCard, MessageRef, OutboundContent, SendOptions } from '../messages.js'

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
      return {
        text: content.text,
        linkPreview: content.preview
          ? {
              'canonical-url': content.preview.url,
              'matched-text': content.preview.url,
              title: content.preview.title,
              description: content.preview.description,
            }
          : null,
        ...extra,
      }
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
    case 'interactive':
    case 'list':
    case 'template':
      throw new Error(`${content.kind} messages are relayed raw (rawContent)`)
  }
}

type RawKind = Extract<OutboundContent, { kind: 'interactive' | 'list' | 'template' }>
export const isRaw = (c: OutboundContent): c is RawKind =>
  c.kind === 'interactive' || c.kind === 'list' || c.kind === 'template'

type Upload = (
  kind: 'image' | 'video' | 'document',
  data: Buffer,
  mimetype: string,
  fileName?: string,
) => Promise<proto.IMessage>

/** The `<biz>` node WhatsApp expects beside native-flow messages (baileys.md §5.4). */
export const BIZ_NODE = {
  tag: 'biz',
  attrs: {},
  content: [
    {
      tag: 'interactive',
      attrs: { type: 'native_flow', v: '1' },
      content: [{ tag: 'native_flow', attrs: { v: '9', name: 'mixed' } }],
    },
  ],
}

async function card(c: InteractiveCard, upload: Upload): Promise<proto.Message.IInteractiveMessage> {
  const media = c.header
    ? await upload(c.header.type, c.header.data, c.header.mimetype, c.header.fileName)
    : {}
  return {
    body: { text: c.body },
    ...(c.footer ? { footer: { text: c.footer } } : {}),
    header: { title: c.title ?? '', hasMediaAttachment: Boolean(c.header), ...media },
    nativeFlowMessage: {
      buttons: c.buttons.map((b) => ({ name: b.name, buttonParamsJson: JSON.stringify(b.params) })),
      messageVersion: 1,
    },
  }
}

/**
 * Interactive, list and template messages as protos (Baileys' sendMessage has no such content
 * in v7): relayed with `relayMessage`, native-flow ones with the `<biz>` node.
 */
export async function rawContent(
  content: RawKind,
  options: SendOptions,
  upload: Upload,
): Promise<{ message: proto.IMessage; nodes: (typeof BIZ_NODE)[] }> {
  const contextInfo: proto.IContextInfo | undefined = options.quoted
    ? {
        stanzaId: options.quoted.id,
        participant: options.quoted.participant,
        quotedMessage: { conversation: options.quoted.text ?? '' },
      }
    : undefined
  if (content.kind === 'list') {
    return {
      message: {
        listMessage: {
          title: content.title ?? '',
          description: content.text,
          buttonText: content.buttonText,
          footerText: content.footer ?? '',
          listType: 1,
          sections: content.sections.map((s) => ({
            title: s.title,
            rows: s.rows.map((r) => ({ rowId: r.id, title: r.title, description: r.description ?? '' })),
          })),
          ...(contextInfo ? { contextInfo } : {}),
        },
      },
      nodes: [],
    }
  }
  if (content.kind === 'template') {
    return {
      message: {
        templateMessage: {
          hydratedTemplate: {
            hydratedContentText: content.text,
            hydratedFooterText: content.footer ?? '',
            hydratedButtons: content.buttons.map((b, index) => ({
              index,
              ...(b.type === 'quickreply'
                ? { quickReplyButton: { displayText: b.text, id: b.id } }
                : b.type === 'url'
                  ? { urlButton: { displayText: b.text, url: b.url } }
                  : { callButton: { displayText: b.text, phoneNumber: b.phone } }),
            })),
          },
        },
      },
      nodes: [],
    }
  }
  const interactive = await card(content, upload)
  if (content.cards?.length) {
    interactive.carouselMessage = {
      cards: await Promise.all(content.cards.map((c) => card(c, upload))),
      messageVersion: 1,
    }
    interactive.nativeFlowMessage = undefined
    interactive.header = undefined
  }
  if (contextInfo) interactive.contextInfo = contextInfo
  return {
    message: {
      viewOnceMessage: {
        message: {
          messageContextInfo: { deviceListMetadataVersion: 2, deviceListMetadata: {} },
          interactiveMessage: interactive,
        },
      },
    },
    nodes: [BIZ_NODE],
  }
}
