import { EventEmitter } from 'node:events'
import makeWASocket, {
  type AuthenticationState,
  type BaileysEventMap,
  Browsers,
  type CacheStore,
  DisconnectReason,
  downloadMediaMessage,
  jidDecode,
  proto,
  WA_CERT_DETAILS,
  type WAMessage,
  type WASocket,
} from 'baileys'
import type { Logger } from 'pino'
import { mediaTrust } from './media.js'
import { memoryAuthState } from './memory-auth.js'

export interface TestClientOptions {
  wsUrl: string
  /** The network's root public key, trusted for the noise certificate chain. */
  rootPublicKey: Buffer
  logger: Logger
  auth?: AuthenticationState
  /** Skip waiting for the phone's history sync on first login (the network sends none). */
  skipHistorySync?: boolean
  keepAliveIntervalMs?: number
  /** Called after each `creds.update` has been applied (persist the credentials here). */
  saveCreds?: () => Promise<void>
  /** The client is its account's only device (a virtual contact): see `soleDeviceCache`. */
  soleDevice?: boolean
}

/**
 * An unmodified Baileys client with in-memory credentials that reconnects on 515 (restart
 * required) as every real integration does, and records the events it saw.
 */
export class TestClient extends EventEmitter {
  readonly auth: AuthenticationState
  socket: WASocket | undefined
  lastDisconnect: number | undefined
  private stopped = false
  /** Trust for the network's media certificate: uploads use the agent, downloads the dispatcher. */
  readonly trust = mediaTrust()
  private readonly devices = soleDeviceCache(() => this.auth.creds.me)

  constructor(private readonly options: TestClientOptions) {
    super()
    this.auth = options.auth ?? memoryAuthState()
  }

  start(): this {
    WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(this.options.rootPublicKey)
    this.stopped = false
    const trust = this.trust
    const socket = makeWASocket({
      auth: this.auth,
      waWebSocketUrl: this.options.wsUrl,
      logger: this.options.logger,
      browser: Browsers.ubuntu('Zapwire test'),
      markOnlineOnConnect: false,
      syncFullHistory: false,
      fireInitQueries: true,
      ...(this.options.skipHistorySync ? { shouldSyncHistoryMessage: () => false } : {}),
      fetchAgent: trust.agent,
      options: trust.requestInit,
      ...(this.options.keepAliveIntervalMs ? { keepAliveIntervalMs: this.options.keepAliveIntervalMs } : {}),
      ...(this.options.soleDevice ? { userDevicesCache: this.devices } : {}),
    })
    this.socket = socket
    socket.ev.on('creds.update', (update) => {
      Object.assign(this.auth.creds, update)
      this.options
        .saveCreds?.()
        .catch((err) => this.options.logger.error({ err }, 'saving credentials failed'))
    })
    socket.ev.process((events) => {
      for (const [name, data] of Object.entries(events)) this.emit(name, data)
      const update = events['connection.update']
      if (update?.connection === 'close') {
        const code = (update.lastDisconnect?.error as { output?: { statusCode?: number } } | undefined)
          ?.output?.statusCode
        this.lastDisconnect = code
        if (code === DisconnectReason.restartRequired && !this.stopped) this.start()
      }
    })
    return this
  }

  /** Resolves with the first `event` payload that `match` accepts, or rejects after `timeoutMs`. */
  waitFor<E extends keyof BaileysEventMap>(
    event: E,
    match: (data: BaileysEventMap[E]) => boolean = () => true,
    timeoutMs = 15_000,
  ): Promise<BaileysEventMap[E]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off(event, listener)
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${event}`))
      }, timeoutMs)
      const listener = (data: BaileysEventMap[E]) => {
        if (!match(data)) return
        clearTimeout(timer)
        this.off(event, listener)
        resolve(data)
      }
      this.on(event, listener)
    })
  }

  /**
   * Resolves when the message `id` reaches `status` or beyond. Baileys may fold a fast receipt
   * into the still-buffered `messages.upsert` of the sent message instead of a `messages.update`,
   * so both are watched.
   */
  waitForStatus(id: string, status: proto.WebMessageInfo.Status, timeoutMs = 15_000): Promise<void> {
    const reached = (value: unknown) => statusNumber(value) >= status
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer)
        this.off('messages.update', onUpdate)
        this.off('messages.upsert', onUpsert)
        error ? reject(error) : resolve()
      }
      const timer = setTimeout(
        () => done(new Error(`timed out waiting for status ${status} of ${id}`)),
        timeoutMs,
      )
      const onUpdate = (updates: BaileysEventMap['messages.update']) => {
        if (updates.some((u) => u.key.id === id && reached(u.update.status))) done()
      }
      const onUpsert = (upsert: BaileysEventMap['messages.upsert']) => {
        if (upsert.messages.some((m) => m.key.id === id && reached(m.status))) done()
      }
      this.on('messages.update', onUpdate)
      this.on('messages.upsert', onUpsert)
    })
  }

  /** Downloads and decrypts a received media message from the network's media server. */
  download(message: WAMessage): Promise<Buffer> {
    return downloadMediaMessage(message, 'buffer', { options: this.trust.requestInit })
  }

  stop(): void {
    this.stopped = true
    this.socket?.end(undefined)
  }
}

/** The text of a message, whichever text field carries it. */
export function textOf(message: WAMessage): string | undefined {
  const m = message.message
  return m?.conversation ?? m?.extendedTextMessage?.text ?? undefined
}

function statusNumber(value: unknown): number {
  if (typeof value === 'number') return value
  if (typeof value === 'string')
    return proto.WebMessageInfo.Status[value as keyof typeof proto.WebMessageInfo.Status] ?? -1
  return -1
}

/**
 * Baileys' device-list cache (five minutes per user, as its own) for a client that is the only
 * device of its account. WhatsApp lists the phone (device 0) among an account's devices; the test
 * network does not, so Baileys finds no other device of its own, caches nothing for itself, and
 * before every message would look its own devices up again and force new sessions with every
 * device of the recipient. Here its own list is known to be empty.
 */
function soleDeviceCache(me: () => { id: string; lid?: string | undefined } | undefined): CacheStore {
  const entries = new Map<string, { value: unknown; until: number }>()
  const ttlMs = 5 * 60_000
  return {
    get: <T>(key: string) => {
      const entry = entries.get(key)
      if (entry && entry.until > Date.now()) return entry.value as T
      const self = me()
      const own = [self?.id, self?.lid].map((jid) => (jid ? jidDecode(jid)?.user : undefined))
      return own.includes(key) ? ([] as T) : undefined
    },
    set: (key, value) => {
      entries.set(key, { value, until: Date.now() + ttlMs })
    },
    del: (key) => entries.delete(key),
    flushAll: () => entries.clear(),
  }
}
