import { randomInt } from 'node:crypto'
import { type BinaryNode, Curve, type KeyPair, type proto } from 'baileys'
import type { ChatConnection } from './connection.js'

/** A companion device's published Signal keys (the server only stores and hands them out). */
export interface DeviceKeys {
  registrationId: number
  identity: Buffer
  signedPreKey: { id: number; value: Buffer; signature: Buffer } | undefined
  preKeys: Map<number, Buffer>
}

/** Misbehaviour injected for one device (see faults.ts). */
export interface DeviceFaults {
  /** Refuse this many of the device's next sends with this error code (e.g. 463). */
  refuse?: { count: number; code: number }
  /** Hold each delivery to the device this long. */
  delayMs?: number
  /** Deliver the device's next this-many stanzas twice. */
  duplicate?: number
  /** Flip bytes in the ciphertext of the device's next this-many messages (undecryptable). */
  corrupt?: number
  /** Lose the device's next this-many messages: never delivered (the phone still has them). */
  lose?: number
  /** Refuse every login with this `<failure reason>` (402 banned, 403 forbidden, 405 outdated). */
  loginFailure?: number
}

export interface Device {
  id: number
  /** What the companion announced as its operating system when it was linked (DeviceProps.os). */
  platform: string
  keyIndex: number
  noiseKey: Buffer
  keys: DeviceKeys
  connection: ChatConnection | undefined
  faults: DeviceFaults
  /** Stanzas for the device while it is offline, delivered with `offline="1"` on login. */
  queue: BinaryNode[]
}

/** A WhatsApp account: a phone number, its LID, the phone's identity key, its linked devices. */
export interface Account {
  phone: string
  lid: string
  name: string
  /** The phone's (device 0's) identity key: it signs each linked device. */
  identity: KeyPair
  devices: Map<number, Device>
  nextDeviceId: number
  nextKeyIndex: number
  /** Privacy settings by category (`readreceipts`, `last`, `online`, …). */
  privacy: Record<string, string>
  presence: { type: 'available' | 'unavailable'; last: number }
  /** Devices subscribed to this account's presence, with the addressing they used. */
  watchers: Map<Device, 'pn' | 'lid'>
  /** The "about" text and when it was set. */
  about: { text: string; t: number }
  /** Profile picture URL on the media server, if any. */
  picture: { id: string; url: string } | undefined
  /** Accounts this one blocked: their messages and calls are not delivered to it. */
  blocked: Set<Account>
  /** The address book, as the account's devices wrote it in app-state patches: phone JID → full name. */
  addressBook: Map<string, string>
  /** App-state mutations companions sent, decrypted with the phone's keys (newest last). */
  appStateMutations: AppStateMutation[]
  /** Default disappearing timer for new chats (seconds) and when it was set. */
  disappearing: { duration: number; t: number }
  /** App-state sync keys the phone shared with its companions (base64 id → key data). */
  appStateKeys: Map<string, Buffer>
  /** App-state patches companions sent, by collection name (their content stays encrypted). */
  appStatePatches: Map<string, number>
  /**
   * The phone's copy of messages virtual contacts sent this account (by id, the last 1,000), as
   * the phone holds every message: what it answers a companion's placeholder-resend request with.
   */
  phoneCopies: Map<string, proto.IWebMessageInfo>
  /** Peer-data requests (placeholder resend…) the phone received from its companions. */
  peerRequests: number
}

/** One app-state mutation a companion sent (its index and action, decrypted). */
export interface AppStateMutation {
  collection: string
  operation: 'set' | 'remove'
  index: string[]
  action: Record<string, unknown>
}

export const DEFAULT_PRIVACY = {
  readreceipts: 'all',
  last: 'all',
  online: 'all',
  profile: 'all',
  status: 'all',
  groupadd: 'all',
  calladd: 'all',
  messages: 'all',
}

/** The values WhatsApp accepts per privacy category. */
export const PRIVACY_VALUES: Record<string, readonly string[]> = {
  readreceipts: ['all', 'none'],
  last: ['all', 'contacts', 'contact_blacklist', 'none'],
  online: ['all', 'match_last_seen'],
  profile: ['all', 'contacts', 'contact_blacklist', 'none'],
  status: ['all', 'contacts', 'contact_blacklist', 'none'],
  groupadd: ['all', 'contacts', 'contact_blacklist', 'none'],
  calladd: ['all', 'known'],
  messages: ['all', 'contacts'],
}

/**
 * Whether `viewer` may see what `owner` guards with a privacy category (`last`, `profile`,
 * `status`…): never when one blocked the other; `contacts` (and `contact_blacklist`, whose
 * exception lists the network does not keep) when the owner has the viewer in its address book.
 */
export function maySee(owner: Account, viewer: Account | undefined, category: string): boolean {
  if (!viewer || viewer === owner) return true
  if (owner.blocked.has(viewer) || viewer.blocked.has(owner)) return false
  const value = owner.privacy[category] ?? 'all'
  if (value === 'none') return false
  if (value === 'contacts' || value === 'contact_blacklist') return owner.addressBook.has(pnJid(viewer.phone))
  return true
}

export const pnJid = (phone: string, device = 0) => `${phone}${device ? `:${device}` : ''}@s.whatsapp.net`
export const lidJid = (lid: string, device = 0) => `${lid}${device ? `:${device}` : ''}@lid`

/** `user[:device]@server` → its parts; undefined for anything that is not a user address. */
export function parseUserJid(
  jid: string,
): { user: string; device: number; server: 'pn' | 'lid' } | undefined {
  const match = /^(\d+)(?:\.\d+)?(?::(\d+))?@(s\.whatsapp\.net|lid)$/.exec(jid)
  if (!match?.[1]) return undefined
  return { user: match[1], device: Number(match[2] ?? 0), server: match[3] === 'lid' ? 'lid' : 'pn' }
}

/** Every account of the network, found by phone number or by LID. */
export class AccountBook {
  private readonly byPhone = new Map<string, Account>()
  private readonly byLid = new Map<string, Account>()

  create(phone: string, name: string): Account {
    if (!/^\d{6,15}$/.test(phone)) throw new Error('phone must be 6 to 15 digits')
    const existing = this.byPhone.get(phone)
    if (existing) return existing
    let lid: string
    do lid = String(randomInt(10 ** 13, 10 ** 14)) + String(randomInt(0, 10))
    while (this.byLid.has(lid))
    const account: Account = {
      phone,
      lid,
      name,
      identity: Curve.generateKeyPair(),
      devices: new Map(),
      nextDeviceId: 1,
      nextKeyIndex: 1,
      privacy: { ...DEFAULT_PRIVACY },
      presence: { type: 'unavailable', last: Math.floor(Date.now() / 1000) },
      watchers: new Map(),
      about: { text: 'Hey there! I am using WhatsApp.', t: Math.floor(Date.now() / 1000) },
      picture: undefined,
      blocked: new Set(),
      addressBook: new Map(),
      appStateMutations: [],
      disappearing: { duration: 0, t: 0 },
      appStateKeys: new Map(),
      appStatePatches: new Map(),
      phoneCopies: new Map(),
      peerRequests: 0,
    }
    this.byPhone.set(phone, account)
    this.byLid.set(lid, account)
    return account
  }

  get(phone: string): Account | undefined {
    return this.byPhone.get(phone)
  }

  /** The account a user address (PN or LID, any device) belongs to. */
  resolve(jid: string): { account: Account; device: number; server: 'pn' | 'lid' } | undefined {
    const parsed = parseUserJid(jid)
    if (!parsed) return undefined
    const account = parsed.server === 'lid' ? this.byLid.get(parsed.user) : this.byPhone.get(parsed.user)
    return account && { account, device: parsed.device, server: parsed.server }
  }

  all(): Account[] {
    return [...this.byPhone.values()]
  }
}
