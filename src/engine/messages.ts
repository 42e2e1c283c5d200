/** Messages as the engine port speaks them: no engine types leak past this file. */

/** Enough to point at a message: its id, chat, whether it is ours, and its sender in groups. */
export interface MessageRef {
  id: string
  chat: string
  fromMe: boolean
  participant?: string | undefined
}

interface MediaUpload {
  data: Buffer
  mimetype: string
}

export type OutboundContent =
  | {
      kind: 'text'
      text: string
      linkPreview?: boolean | undefined
      /** A preview already fetched by the gateway (the engine never fetches URLs itself). */
      preview?: { url: string; title: string; description: string } | undefined
    }
  | (MediaUpload & { kind: 'image'; caption?: string | undefined; viewOnce?: boolean | undefined })
  | (MediaUpload & {
      kind: 'video'
      caption?: string | undefined
      viewOnce?: boolean | undefined
      ptv?: boolean | undefined
      gif?: boolean | undefined
      jpegThumbnail?: Buffer | undefined
    })
  | (MediaUpload & { kind: 'audio'; ptt: boolean; viewOnce?: boolean | undefined })
  | (MediaUpload & { kind: 'document'; fileName: string; caption?: string | undefined })
  | (MediaUpload & { kind: 'sticker' })
  | {
      kind: 'location'
      latitude: number
      longitude: number
      name?: string | undefined
      address?: string | undefined
    }
  | { kind: 'contact'; name: string; vcard: string }
  | { kind: 'poll'; question: string; options: string[]; selectable: number }
  | {
      kind: 'event'
      name: string
      description?: string | undefined
      startTime: number
      endTime?: number | undefined
      location?: string | undefined
    }
  | InteractiveContent
  | {
      kind: 'list'
      title?: string | undefined
      text: string
      buttonText: string
      footer?: string | undefined
      sections: { title: string; rows: { id: string; title: string; description?: string | undefined }[] }[]
    }
  | {
      kind: 'template'
      text: string
      footer?: string | undefined
      buttons: (
        | { type: 'quickreply'; text: string; id: string }
        | { type: 'url'; text: string; url: string }
        | { type: 'call'; text: string; phone: string }
      )[]
    }
  | { kind: 'reaction'; target: MessageRef; emoji: string }
  | { kind: 'edit'; target: MessageRef; text: string }
  | { kind: 'revoke'; target: MessageRef }

/** A native-flow button: `quick_reply`, `cta_url`, `cta_call`, `cta_copy`, `payment_info`, `review_and_pay`, `galaxy_message` (a Flow)… with its parameters. */
export interface NativeButton {
  name: string
  params: Record<string, unknown>
}

export interface InteractiveCard {
  body: string
  footer?: string | undefined
  title?: string | undefined
  header?: (MediaUpload & { type: 'image' | 'video' | 'document'; fileName?: string | undefined }) | undefined
  buttons: NativeButton[]
}

/** An interactive (native-flow) message: buttons, a Flow, or a carousel of cards. */
export type InteractiveContent = {
  kind: 'interactive'
  cards?: InteractiveCard[] | undefined
} & InteractiveCard

export interface SendOptions {
  /** The message id to use (a client's idempotency key); the engine makes one when absent. */
  id?: string | undefined
  quoted?: { id: string; participant: string; text?: string | undefined } | undefined
  mentions?: string[] | undefined
  mentionAll?: boolean | undefined
  forwarded?: boolean | undefined
  /** Disappearing timer in seconds. */
  ephemeralSeconds?: number | undefined
}

export type MessageType =
  | 'text'
  | 'image'
  | 'video'
  | 'audio'
  | 'document'
  | 'sticker'
  | 'location'
  | 'contact'
  | 'poll'
  | 'event'
  | 'reaction'
  | 'edit'
  | 'revoke'
  | 'poll_vote'
  | 'interactive'
  | 'other'

export interface MediaInfo {
  mimetype: string
  fileName?: string | undefined
  fileLength?: number | undefined
  /** base64 */
  fileSha256?: string | undefined
  fileEncSha256?: string | undefined
  mediaKey?: string | undefined
  directPath?: string | undefined
  url?: string | undefined
  seconds?: number | undefined
  width?: number | undefined
  height?: number | undefined
  ptt?: boolean | undefined
}

/** One message, in or out, normalised. JIDs are without device; `*Alt` is the other addressing. */
export interface NormalizedMessage {
  id: string
  chat: string
  chatAlt: string | undefined
  sender: string
  senderAlt: string | undefined
  fromMe: boolean
  pushName: string
  /** Unix seconds. */
  timestamp: number
  type: MessageType
  text: string
  media: MediaInfo | undefined
  quotedId: string | undefined
  mentions: string[]
  /** For reactions, edits, revokes and poll votes: the message they act on. */
  targetId: string | undefined
  /** Reaction emoji ('' = removed); poll vote: the chosen options. */
  reaction?: string | undefined
  votes?: string[] | undefined
  /** The message as the engine renders it (WhatsApp's proto as JSON). */
  content: Record<string, unknown>
  /** The engine's own serialisation of the message, handed back for retries. */
  raw: string
  /** Received live (true) or delivered from the offline queue / history (false). */
  live: boolean
}

export type ReceiptStatus = 'sent' | 'delivered' | 'read' | 'played' | 'failed'

export interface Receipt {
  ids: string[]
  chat: string
  /** Who read or received it (groups: a participant). */
  by: string
  status: ReceiptStatus
  /** WhatsApp's error code for `failed`. */
  code?: number | undefined
  timestamp: number
}

/** What WhatsApp tells about a user: about text, picture, devices, business profile. */
export interface UserInfo {
  about: { text: string; setAt: number | undefined } | undefined
  picture: { url: string; directPath: string } | undefined
  /** Device JIDs (`user:device@server`), the phone (0) included. */
  devices: string[]
  business:
    | {
        description: string
        email: string
        website: string[]
        category: string
        address: string
        timezone: string
        hours: { day: string; mode: string; openTime: number | undefined; closeTime: number | undefined }[]
      }
    | undefined
}

export interface NumberCheck {
  query: string
  exists: boolean
  jid: string
  lid: string | undefined
}

/** The proto keys of messages that carry a file, and the kind of file each holds. */
export const MEDIA_MESSAGES = {
  imageMessage: 'image',
  videoMessage: 'video',
  ptvMessage: 'video',
  audioMessage: 'audio',
  documentMessage: 'document',
  stickerMessage: 'sticker',
} as const satisfies Record<string, 'image' | 'video' | 'audio' | 'document' | 'sticker'>

export const mediaKindOf = (key: string) => MEDIA_MESSAGES[key as keyof typeof MEDIA_MESSAGES]
