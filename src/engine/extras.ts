/** Calls, status posts, labels, business, devices and app-state/history sync: what the services need from the engine. */

/** What a status (story) shows: text on a colour, or a photo, video or voice/audio. */
export type StatusContent =
  | {
      kind: 'text'
      text: string
      /** ARGB as an unsigned 32-bit integer. */
      backgroundArgb?: number | undefined
      textArgb?: number | undefined
      font?: number | undefined
    }
  | { kind: 'image'; data: Buffer; mimetype: string; caption?: string | undefined }
  | { kind: 'video'; data: Buffer; mimetype: string; caption?: string | undefined }
  | { kind: 'audio'; data: Buffer; mimetype: string; ptt: boolean }

/** One device of a user as WhatsApp lists it (0 is the phone). */
export interface UserDevice {
  /** The user's JID without device, as asked or as WhatsApp answered it (phone JID or LID). */
  user: string
  device: number
  /** The device's JID (`user:device@server`). */
  jid: string
}

export interface BotInfo {
  jid: string
  personaId: string
}

export interface BotProfile {
  jid: string
  personaId: string
  name: string
  description: string
  category: string
  attributes: string
  commands: { name: string; description: string }[]
  prompts: string[]
}

/** What a wa.me/message link points at. */
export interface BusinessLink {
  jid: string
  pushName: string
  message: string
  verifiedName: string
  verifiedLevel: string
  signed: boolean
}

export interface OrderRequest {
  orderId: string
  title: string
  notes: string
  itemCount: number
  /** Total in thousandths of the currency unit. */
  total1000: number
  currency: string
}

export interface AppStateSyncResult {
  name: string
  success: boolean
  error?: string | undefined
  durationMs: number
}

/** How a history request is framed: one chat back from its oldest known message, or everything. */
export type HistoryRequest =
  | {
      kind: 'chat'
      chat: string
      oldest: { id: string; fromMe: boolean; timestampMs: number }
      count: number
    }
  | {
      kind: 'full'
      daysLimit: number
      sizeMbLimit: number
      includeGroups: boolean
      includeCalls: boolean
    }

export interface ExtrasPort {
  /** Rejects an incoming call (`from` is the caller as the offer named it). */
  rejectCall(callId: string, from: string): Promise<void>
  /**
   * Posts a status (story) to `status@broadcast`, encrypted for the devices of `recipients`
   * (user JIDs). Resolves with its id and time (unix seconds) once WhatsApp accepted it.
   */
  postStatus(
    content: StatusContent,
    recipients: string[],
    id: string | undefined,
  ): Promise<{ id: string; timestamp: number }>
  /** Creates, renames, recolours or deletes a label (an app-state patch). */
  editLabel(label: { id: string; name: string; color: number; deleted: boolean }): Promise<void>
  /** Adds or removes a label on a chat. */
  labelChat(chat: string, labelId: string, apply: boolean): Promise<void>
  /** Adds or removes a label on a message. */
  labelMessage(chat: string, messageId: string, labelId: string, apply: boolean): Promise<void>
  /** The AI bots WhatsApp offers this account. */
  bots(): Promise<BotInfo[]>
  /** Profiles of bots (name, description, commands). */
  botProfiles(bots: BotInfo[]): Promise<BotProfile[]>
  /** The account's contact QR code (`https://wa.me/qr/<code>`), a new one when `revoke`. */
  contactQr(revoke: boolean): Promise<string>
  /** What a business message link code (`wa.me/message/<code>`) points at. */
  resolveBusinessLink(code: string): Promise<BusinessLink>
  /** Sends an order message; resolves with its id and time (unix seconds). */
  sendOrder(to: string, order: OrderRequest): Promise<{ id: string; timestamp: number }>
  /** The devices of users (phone JIDs or LIDs), the phone (0) included. */
  userDevices(users: string[]): Promise<UserDevice[]>
  /** The devices linked to this account, this one included. */
  ownDevices(): Promise<UserDevice[]>
  /** This session's own device number. */
  ownDevice(): number
  /** Re-syncs every app-state collection; `full` drops the local versions first (a full snapshot). */
  syncAppState(full: boolean): Promise<AppStateSyncResult[]>
  /**
   * Asks the phone for history (a peer message); the chunks arrive as `history` events carrying
   * `requestId`, which is also the id of the request message.
   */
  requestHistory(request: HistoryRequest, requestId: string): Promise<void>
}

/** whatsmeow's DeviceProps.PlatformType names, by number (what DIGIGO reports for a device number). */
export const PLATFORM_TYPES = [
  'UNKNOWN',
  'CHROME',
  'FIREFOX',
  'IE',
  'OPERA',
  'SAFARI',
  'EDGE',
  'DESKTOP',
  'IPAD',
  'ANDROID_TABLET',
  'OHANA',
  'ALOHA',
  'CATALINA',
  'TCL_TV',
  'IOS_PHONE',
  'IOS_CATALYST',
  'ANDROID_PHONE',
  'ANDROID_AMBIGUOUS',
  'WEAR_OS',
  'AR_WRIST',
  'AR_DEVICE',
  'UWP',
  'VR',
  'CLOUD_API',
  'SMARTGLASSES',
] as const
