import type { Logger } from 'pino'
import type { AccountPort } from './account.js'
import type { CredentialStore } from './credentials.js'
import type { ExtrasPort } from './extras.js'
import type { GroupsPort } from './groups.js'
import type {
  MediaInfo,
  MessageRef,
  NormalizedMessage,
  NumberCheck,
  OutboundContent,
  Receipt,
  SendOptions,
  UserInfo,
} from './messages.js'
import type { NewslettersPort } from './newsletters.js'

/** Where a session connects: WhatsApp itself, or a local test network. */
export interface NetworkTarget {
  wsUrl?: string
  /** 32-byte certificate root to trust for the chat socket (test networks). */
  rootPublicKey?: Buffer
  /** PEM certificate to trust for media only (test networks). */
  mediaCertificate?: string
  /** Origin of the media servers (test networks); WhatsApp's otherwise. */
  mediaUrl?: string
}

export interface ConnectOptions {
  store: CredentialStore
  logger: Logger
  network: NetworkTarget
  /** HTTP(S) or SOCKS proxy for the chat socket and media; `bypass` hosts are reached directly. */
  proxy?: { url: string; bypass: string[] } | undefined
  /** How the client presents itself (DIGIGO's whatsappConfig, where the engine supports it). */
  client?: ClientProfile
  /** A message this session sent or received, by id (the engine's `raw`), for retries. */
  getMessage?: (id: string) => Promise<string | undefined>
}

export interface ClientProfile {
  /** Shown on the phone's "Linked devices" as "<browser> (<os>)". */
  osName?: string | undefined
  browserName?: string | undefined
  osVersion?: string | undefined
  /** WhatsApp Web version [2, 3000, build]. */
  version?: [number, number, number] | undefined
  /** ISO 3166-1 alpha-2, sent in the client payload. */
  countryCode?: string | undefined
}

/** What one connection attempt reports. After `close` the connection is finished. */
export type ConnectionEvent =
  | { type: 'qr'; qr: string }
  | { type: 'paired'; jid: string; lid: string | undefined }
  | { type: 'open'; jid: string; lid: string | undefined }
  | { type: 'close'; code: number | undefined; message: string }
  | { type: 'inbound' }
  /** A `<stream:error>` WhatsApp sent (the close that follows is reported separately). */
  | { type: 'stream-error'; code: string }
  /** Everything queued while the session was offline has been delivered. */
  | { type: 'offline-sync-completed' }
  /** A message arrived that could not be decrypted (the engine asked the sender to retry). */
  | { type: 'undecryptable'; chat: string; id: string; sender: string; reason: string }
  /**
   * Anything else WhatsApp pushed that becomes an event as it is (group changes, blocklist,
   * privacy, calls, newsletters…): `name` is the catalogue's event name, `chat` orders it.
   */
  | { type: 'notice'; name: string; chat: string; data: Record<string, unknown> }
  /** Messages received, or sent from this account's other devices (and our own sends). */
  | { type: 'messages'; messages: NormalizedMessage[] }
  | { type: 'receipts'; receipts: Receipt[] }
  /** LID ↔ phone number pairs the engine learned (JIDs without device). */
  | { type: 'identities'; pairs: { lid: string; pn: string }[] }
  | { type: 'presence'; chat: string; who: string; state: string; lastSeen: number | undefined }
  /** Names learned for people: address book (app state), history sync, push names. */
  | { type: 'contacts'; contacts: ContactInfo[] }
  /** The answer to a media re-upload request (base64 ciphertext and IV, or the error's code). */
  | {
      type: 'media-retry'
      id: string
      chat: string
      fromMe: boolean
      participant: string | undefined
      result: { ciphertext: string; iv: string } | { error: number }
    }
  /**
   * A history-sync chunk the phone sent (initial bootstrap, push names, on-demand history): its
   * messages (names and LID mappings come as `contacts` and `identities` events just before).
   */
  | {
      type: 'history'
      syncType: string
      chunkOrder: number | undefined
      progress: number | undefined
      chats: string[]
      messages: NormalizedMessage[]
      /** The history request this chunk answers (the phone's `peerDataRequestSessionId`). */
      requestId?: string | undefined
    }

/** One live WhatsApp socket. */
export interface EngineConnection extends GroupsPort, NewslettersPort, AccountPort, ExtrasPort {
  /** Asks for a pairing code for `phone` (digits); only while unpaired. */
  requestPairingCode(phone: string): Promise<string>
  /** Unlinks this device from the account, then closes. */
  logout(): Promise<void>
  /** Closes without unlinking; emits `close` with code undefined; resolves once credentials are saved. */
  end(): Promise<void>
  /** Sends a keep-alive ping; resolves false if no answer came within `timeoutMs`. */
  ping(timeoutMs: number): Promise<boolean>
  /**
   * Sends and resolves once WhatsApp's server accepted it; rejects with an EngineRefusal carrying
   * WhatsApp's code when it refused.
   */
  send(to: string, content: OutboundContent, options: SendOptions): Promise<NormalizedMessage>
  /** Which of these phone numbers (digits) are on WhatsApp, with their JID and LID. */
  checkNumbers(phones: string[]): Promise<NumberCheck[]>
  /** About text, profile picture, devices and business profile of a user (what is visible). */
  userInfo(jid: string): Promise<UserInfo>
  markRead(refs: MessageRef[]): Promise<void>
  /**
   * Asks the account's phone to send a message this device did not get or could not decrypt (a
   * placeholder resend); the message then arrives as any other. Resolves with the request's id,
   * or undefined when it had already been asked for or has arrived meanwhile.
   */
  requestFromPhone(ref: MessageRef): Promise<string | undefined>
  /** `available`/`unavailable` for the account, or a chat state for `to`. */
  sendPresence(
    state: 'available' | 'unavailable' | 'composing' | 'recording' | 'paused',
    to?: string,
  ): Promise<void>
  /**
   * Downloads and decrypts a media file from the fields of a message that carried it. Only
   * WhatsApp's media servers are contacted, whatever `url` says.
   */
  download(kind: DownloadKind, media: EncryptedMedia): Promise<Buffer>
  /**
   * Asks the sender's phone to upload a file again (it is gone from the media server); resolves
   * with where it is now, or rejects with an EngineRefusal (404 when the phone no longer has it).
   */
  retryMedia(
    ref: MessageRef,
    kind: DownloadKind,
    media: EncryptedMedia,
  ): Promise<{ directPath: string; url: string }>
  /** Encrypts and uploads a file to WhatsApp's media servers; answers what a message needs. */
  upload(kind: DownloadKind, data: Buffer, mimetype: string): Promise<MediaInfo>
  /**
   * Changes a chat through an app-state patch (synced to the phone and the other devices).
   * Needs the app-state key the phone shares after linking.
   */
  modifyChat(chat: string, change: ChatChange): Promise<void>
  /** Sets the account's "about" text (what wuzapi calls its status text). */
  setAbout(text: string): Promise<void>
  /** Re-syncs what a long-lived session may have lost (DIGIGO's /session/refresh). */
  refresh(what: RefreshRequest): Promise<RefreshReport>
}

export interface RefreshRequest {
  appState: boolean
  preKeys: boolean
  privacy: boolean
}

export interface RefreshReport {
  appState: { name: string; success: boolean; error?: string; durationMs: number }[]
  preKeys?: { serverCount: number; uploadTriggered: boolean; error?: string }
  privacy?: { fetched: boolean; error?: string }
}

export type EngineCapability = 'qr' | 'pairing-code' | 'logout'

/** The engine port: everything the services need from a WhatsApp implementation. */
export interface Engine {
  readonly name: string
  readonly capabilities: ReadonlySet<EngineCapability>
  /** Whether stored credentials belong to a paired device (else a new pairing is needed). */
  isPaired(store: CredentialStore): Promise<boolean>
  connect(options: ConnectOptions, onEvent: (event: ConnectionEvent) => void): Promise<EngineConnection>
}

/** WhatsApp refused a request; `code` is WhatsApp's (463 reach-out restriction, 479, …). */
export class EngineRefusal extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message)
    this.name = 'EngineRefusal'
  }
}

export type DownloadKind = 'image' | 'video' | 'audio' | 'document' | 'sticker'

/** What a message says about its encrypted file (base64 for the binary fields). */
export interface EncryptedMedia {
  url?: string | undefined
  directPath?: string | undefined
  mediaKey: string
}

export interface ContactInfo {
  /** Phone JID when known, else the LID. */
  jid: string
  lid?: string | undefined
  pushName?: string | undefined
  fullName?: string | undefined
  firstName?: string | undefined
  businessName?: string | undefined
}

/** The chat's newest message, which archive, delete and clear patches must name. */
export interface LastMessage {
  id: string
  fromMe: boolean
  participant?: string | undefined
  timestamp: number
}

export type ChatChange =
  | { kind: 'archive'; archive: boolean; last: LastMessage | undefined }
  | { kind: 'pin'; pin: boolean }
  /** Until when (unix ms; -1 forever), or null to unmute. */
  | { kind: 'mute'; until: number | null }
  | { kind: 'star'; id: string; fromMe: boolean; star: boolean }
  | { kind: 'delete'; last: LastMessage | undefined }
  /** Deletes one message on this account's devices only (the others still see it). */
  | { kind: 'deleteForMe'; message: LastMessage }
