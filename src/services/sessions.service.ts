import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import type { Cipher } from '../crypto/cipher.js'
import type {
  ClientProfile,
  ConnectionEvent,
  Engine,
  EngineConnection,
  NetworkTarget,
  RefreshReport,
  RefreshRequest,
} from '../engine/port.js'
import type { Outbox } from '../events/outbox.js'
import type { AuthRepository } from '../store/auth.repository.js'
import { SqlCredentialStore } from './credentials.store.js'
import { AppError } from './errors.js'
import { backoffMs, decideOnClose, type SessionState } from './session-policy.js'
import type { User, WhatsAppConfig } from './users.model.js'
import type { UsersService } from './users.service.js'

/** Engine events about messages go here (the messaging service), with the account they are for. */
export interface InboundSink {
  handle(
    userId: string,
    account: { jid: string; lid: string },
    event: Extract<
      ConnectionEvent,
      { type: 'messages' | 'receipts' | 'identities' | 'presence' | 'contacts' | 'history' }
    >,
  ): void
  /** The engine's copy of a message this session sent or received (retries, poll votes). */
  rawMessage(userId: string, id: string): Promise<string | undefined>
}

export type NoticeListener = (userId: string, notice: Extract<ConnectionEvent, { type: 'notice' }>) => void

export interface RefreshResult {
  was: { connected: boolean; loggedIn: boolean }
  jid: string
  report: RefreshReport
  durationMs: number
}

export interface SessionView {
  userId: string
  state: SessionState
  since: Date
  jid: string | undefined
  lid: string | undefined
  qr: string | undefined
  hasClient: boolean
  reconnects: number
  decryptFailures: number
  autoReconnectErrors: number
  lastInboundAt: Date | undefined
  lastConnectedAt: Date | undefined
}

/** Counters the sessions report (metrics); every method optional. */
export interface SessionCounters {
  reconnect?(userId: string): void
  watchdogRestart?(userId: string): void
  stateChange?(userId: string, state: SessionState): void
  decryptFailure?(userId: string): void
  /** The user is gone: forget its series. */
  removed?(userId: string): void
}

export interface SessionsOptions {
  counters?: SessionCounters
  network: NetworkTarget
  /** Lease length; renewed at half of it while the socket lives. */
  leaseMs?: number
  /** No inbound frame for this long → ping; no answer → restart the socket. */
  watchdogMs?: number
}

class Session {
  state: SessionState = 'disconnected'
  since = new Date()
  qr: string | undefined
  jid: string | undefined
  lid: string | undefined
  connection: EngineConnection | undefined
  reconnects = 0
  decryptFailures = 0
  failures = 0
  lastInboundAt: Date | undefined
  lastConnectedAt: Date | undefined
  /** Set by disconnect/logout/shutdown: a close is then final. */
  stopped = false
  /** Set by the watchdog: the next close restarts the socket. */
  restarting = false
  timers = new Set<NodeJS.Timeout>()
  readonly changed = new Set<() => void>()

  constructor(readonly userId: string) {}
}

const ACTIVE: ReadonlySet<SessionState> = new Set(['connecting', 'qr', 'connected', 'reconnecting'])

/**
 * One WhatsApp session per user: a state machine that only reports what WhatsApp said, the
 * reconnect policy, a DB lease so no second process opens the same session, and a watchdog.
 */
export class SessionsService {
  private readonly sessions = new Map<string, Session>()
  private readonly owner = randomUUID()
  private readonly leaseMs: number
  private readonly watchdogMs: number
  /** Close handling still running (awaited at shutdown, before the database closes). */
  private readonly pending = new Set<Promise<void>>()
  private inbound: InboundSink | undefined
  private readonly noticeListeners = new Set<NoticeListener>()
  /** Event writes, chained so the outbox receives them in the order they happened. */
  private writing: Promise<void> = Promise.resolve()

  constructor(
    private readonly engine: Engine,
    private readonly auth: AuthRepository,
    private readonly cipher: Cipher,
    private readonly users: UsersService,
    private readonly log: Logger,
    private readonly outbox: Outbox,
    private readonly options: SessionsOptions,
  ) {
    this.leaseMs = options.leaseMs ?? 30_000
    this.watchdogMs = options.watchdogMs ?? 90_000
  }

  /** Where message events go (set once, by the messaging service). */
  setInbound(sink: InboundSink): void {
    this.inbound = sink
  }

  /** Hears every engine notice (CallOffer…) after it is written as an event; returns an unsubscribe. */
  onNotice(listener: NoticeListener): () => void {
    this.noticeListeners.add(listener)
    return () => this.noticeListeners.delete(listener)
  }

  /** The live connection of a logged-in session; refuses when the session is not connected. */
  connection(userId: string): EngineConnection {
    const s = this.sessions.get(userId)
    if (s?.state !== 'connected' || !s.connection)
      throw new AppError('SESSION_NOT_READY', `session is ${s?.state ?? 'disconnected'}, not connected`)
    return s.connection
  }

  /** The account's own phone JID and LID (empty until known). */
  account(userId: string): { jid: string; lid: string } {
    const s = this.sessions.get(userId)
    return { jid: s?.jid ?? '', lid: s?.lid ?? '' }
  }

  view(userId: string): SessionView {
    const s = this.sessions.get(userId) ?? new Session(userId)
    return {
      userId,
      state: s.state,
      since: s.since,
      jid: s.jid,
      lid: s.lid,
      qr: s.state === 'qr' ? s.qr : undefined,
      hasClient: s.connection !== undefined,
      reconnects: s.reconnects,
      decryptFailures: s.decryptFailures,
      autoReconnectErrors: s.failures,
      lastInboundAt: s.lastInboundAt,
      lastConnectedAt: s.lastConnectedAt,
    }
  }

  /**
   * Starts the user's session unless it is already running (connecting twice is one socket).
   * With `waitMs`, waits that long for the session to be connected or to show a QR.
   */
  async connect(userId: string, waitMs = 0): Promise<SessionView> {
    const s = this.session(userId)
    if (!ACTIVE.has(s.state)) {
      s.stopped = false
      await this.open(s)
    }
    if (waitMs > 0) {
      const settled = () => s.state === 'connected' || s.state === 'qr' || !ACTIVE.has(s.state)
      await this.until(s, settled, waitMs).catch(() => undefined)
    }
    return this.view(userId)
  }

  /** A pairing code for `phone`: connects if needed and waits for the unpaired socket first. */
  async pairPhone(userId: string, phone: string): Promise<string> {
    if (!/^\d{7,15}$/.test(phone))
      throw new AppError('VALIDATION', 'Phone must be 7 to 15 digits with the country code')
    const s = this.session(userId)
    if (s.state === 'connected') throw new AppError('ALREADY_LOGGED_IN', 'already logged in')
    await this.connect(userId)
    await this.until(s, () => s.state === 'qr' || !ACTIVE.has(s.state), 20_000)
    if (s.state !== 'qr' || !s.connection)
      throw new AppError('SESSION_NOT_READY', `session is ${s.state}, not waiting to pair`)
    return s.connection.requestPairingCode(phone)
  }

  /** The current QR: '' once logged in; an error when the session is not showing one. */
  qr(userId: string): string {
    const s = this.session(userId)
    if (s.state === 'connected') return ''
    if (s.state === 'qr' && s.qr) return s.qr
    throw new AppError('SESSION_NOT_READY', `no QR code: session is ${s.state}; call /session/connect first`)
  }

  /** Closes the socket and keeps the credentials. */
  async disconnect(userId: string): Promise<void> {
    const s = this.session(userId)
    s.stopped = true
    this.clearTimers(s)
    const closed = this.until(s, () => s.connection === undefined, 5_000).catch(() => undefined)
    await s.connection?.end()
    await closed
    this.setState(s, 'disconnected')
    await this.auth.releaseLease(userId, this.owner)
  }

  /**
   * Reconnects a paired session and re-syncs what a long-lived socket may have lost (app state,
   * pre-keys on the server, privacy settings).
   */
  async refresh(userId: string, what: RefreshRequest): Promise<RefreshResult> {
    const started = Date.now()
    const s = this.session(userId)
    const was = { connected: s.connection !== undefined, loggedIn: s.state === 'connected' }
    const store = new SqlCredentialStore(userId, this.auth, this.cipher)
    if (!(await this.engine.isPaired(store)))
      throw new AppError('NOT_PAIRED', 'no JID found, QR scan required for initial pairing')
    await this.disconnect(userId)
    await this.connect(userId, 20_000)
    if (s.state !== 'connected' || !s.connection)
      throw new AppError('SESSION_NOT_READY', `refresh failed: the session is ${s.state} after reconnecting`)
    const report = await s.connection.refresh(what)
    return { was, jid: s.jid ?? '', report, durationMs: Date.now() - started }
  }

  /**
   * Deletes a user: closes its session (unlinking the device from the phone when `unlink`), then
   * removes the user with everything stored for it (credentials, keys, lease, events).
   */
  async removeUser(idOrSerial: string, { unlink }: { unlink: boolean }): Promise<User> {
    const user = await this.users.get(idOrSerial)
    if (unlink) await this.logout(user.id)
    else await this.disconnect(user.id)
    await this.writing
    this.sessions.delete(user.id)
    this.options.counters?.removed?.(user.id)
    await this.users.delete(user.id)
    return user
  }

  /** Unlinks the device (when connected) and forgets the credentials. */
  async logout(userId: string): Promise<void> {
    const s = this.session(userId)
    s.stopped = true
    this.clearTimers(s)
    if (s.connection) {
      const closed = this.until(s, () => s.connection === undefined, 5_000).catch(() => undefined)
      await s.connection.logout().catch(async () => s.connection?.end())
      await closed
    }
    await this.purge(s)
  }

  /** Reconnects every user that has credentials, `concurrency` at a time (process start). */
  async restore(concurrency = 20): Promise<number> {
    const users = await this.users.list()
    const queue: string[] = []
    for (const user of users) {
      if (await this.engine.isPaired(new SqlCredentialStore(user.id, this.auth, this.cipher)))
        queue.push(user.id)
    }
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let id = queue.shift(); id; id = queue.shift()) await this.restoreOne(id)
      }),
    )
    return users.length
  }

  /** Connects one session; while a crashed process's lease has not lapsed, waits and tries again. */
  private async restoreOne(userId: string, attempt = 0): Promise<void> {
    try {
      await this.connect(userId, 30_000)
    } catch (err) {
      if (err instanceof AppError && err.code === 'SESSION_LOCKED' && attempt < 3) {
        await new Promise((resolve) => setTimeout(resolve, this.leaseMs / 2))
        return this.restoreOne(userId, attempt + 1)
      }
      this.log.warn({ err, userId }, 'restore failed')
    }
  }

  /** Ends every socket without unlinking (shutdown). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.disconnect(id).catch(() => undefined)))
    await Promise.allSettled([...this.pending])
    await this.writing
  }

  private session(userId: string): Session {
    let s = this.sessions.get(userId)
    if (!s) {
      s = new Session(userId)
      this.sessions.set(userId, s)
    }
    return s
  }

  private async open(s: Session): Promise<void> {
    const now = Date.now()
    if (!(await this.auth.acquireLease(s.userId, this.owner, now + this.leaseMs, now))) {
      throw new AppError('SESSION_LOCKED', 'session is open in another Zapwire process')
    }
    this.setState(s, 'connecting')
    const user = await this.users.get(s.userId)
    s.connection = await this.engine.connect(
      {
        store: new SqlCredentialStore(s.userId, this.auth, this.cipher),
        logger: this.log.child(
          { userId: s.userId },
          { level: this.log.level === 'debug' ? 'debug' : 'warn' },
        ),
        network: this.options.network,
        client: clientProfile(user.settings.whatsappConfig),
        getMessage: (id) => this.inbound?.rawMessage(s.userId, id) ?? Promise.resolve(undefined),
        proxy: user.secrets.proxy.enabled
          ? { url: user.secrets.proxy.url, bypass: user.secrets.proxy.bypass ?? [] }
          : undefined,
      },
      (event) => this.onEvent(s, event),
    )
    this.every(s, this.leaseMs / 3, () => {
      const at = Date.now()
      void this.auth.acquireLease(s.userId, this.owner, at + this.leaseMs, at)
    })
    this.every(s, Math.max(1_000, this.watchdogMs / 3), () => void this.watch(s))
  }

  private onEvent(s: Session, event: ConnectionEvent): void {
    switch (event.type) {
      case 'inbound':
        s.lastInboundAt = new Date()
        return
      case 'qr':
        s.qr = event.qr
        this.setState(s, 'qr')
        this.emit(s, 'QR', { code: event.qr })
        return
      case 'paired':
        s.jid = event.jid
        s.lid = event.lid
        this.emit(s, 'PairSuccess', { ID: event.jid, LID: event.lid ?? '' })
        return
      case 'open':
        s.jid = event.jid
        s.lid = event.lid
        s.failures = 0
        s.lastConnectedAt = new Date()
        s.lastInboundAt = new Date()
        this.setState(s, 'connected')
        this.emit(s, 'Connected', {})
        void this.users.setIdentity(s.userId, event.jid, event.lid ?? '').catch(() => undefined)
        return
      case 'stream-error':
        // 515 (restart after pairing) and the closes decideOnClose names are reported there.
        if (!['515', '401', '403', '406', '440', 'conflict'].includes(event.code))
          this.emit(s, 'StreamError', { Code: event.code })
        return
      case 'offline-sync-completed':
        this.emit(s, 'OfflineSyncCompleted', {})
        return
      case 'undecryptable':
        s.decryptFailures++
        this.options.counters?.decryptFailure?.(s.userId)
        this.emit(s, 'UndecryptableMessage', {
          Info: { ID: event.id, Chat: event.chat, Sender: event.sender },
          IsUnavailable: false,
          DecryptFailMode: event.reason,
        })
        return
      case 'media-retry':
        this.emit(s, 'MediaRetry', {
          MessageID: event.id,
          ChatID: event.chat,
          SenderID: event.participant ?? (event.fromMe ? (s.jid ?? '') : event.chat),
          FromMe: event.fromMe,
          Timestamp: new Date().toISOString(),
          ...('error' in event.result
            ? { Error: event.result.error }
            : { Ciphertext: event.result.ciphertext, IV: event.result.iv }),
        })
        return
      case 'notice':
        this.emit(s, event.name, event.data, event.chat)
        for (const listener of this.noticeListeners) listener(s.userId, event)
        return
      case 'messages':
      case 'receipts':
      case 'identities':
      case 'presence':
      case 'contacts':
      case 'history':
        this.inbound?.handle(s.userId, { jid: s.jid ?? '', lid: s.lid ?? '' }, event)
        return
      case 'close': {
        const handling = this.onClose(s, event.code, event.message).catch((err) =>
          this.log.error({ err, userId: s.userId }, 'handling a closed session failed'),
        )
        this.pending.add(handling)
        void handling.finally(() => this.pending.delete(handling))
      }
    }
  }

  private async onClose(s: Session, code: number | undefined, message: string) {
    s.connection = undefined
    this.clearTimers(s)
    if (s.restarting) {
      s.restarting = false
      s.reconnects++
      this.options.counters?.watchdogRestart?.(s.userId)
      this.emit(s, 'KeepAliveTimeout', {})
      await this.open(s).catch((err) => this.fail(s, err))
      return
    }
    const decision = decideOnClose(code, message)
    if (decision.event) this.emit(s, decision.event, { code, reason: message })
    if (decision.action === 'purge') return this.purge(s)
    if (s.stopped || decision.action === 'none' || decision.action === 'stop') {
      this.setState(s, s.stopped && decision.action !== 'stop' ? 'disconnected' : decision.state)
      await this.auth.releaseLease(s.userId, this.owner)
      return
    }
    if (decision.action === 'reconnect-backoff' && !(await this.autoReconnect(s.userId))) {
      this.setState(s, 'disconnected')
      await this.auth.releaseLease(s.userId, this.owner)
      return
    }
    s.reconnects++
    this.options.counters?.reconnect?.(s.userId)
    this.setState(s, 'reconnecting')
    if (decision.action === 'reconnect-now') {
      await this.open(s).catch((err) => this.fail(s, err))
      return
    }
    const delay = backoffMs(s.failures++)
    const timer = setTimeout(() => {
      s.timers.delete(timer)
      if (!s.stopped) this.open(s).catch((err) => this.fail(s, err))
    }, delay)
    s.timers.add(timer)
  }

  private async autoReconnect(userId: string): Promise<boolean> {
    return (await this.users.get(userId).catch(() => undefined))?.settings.autoReconnect ?? false
  }

  /** No inbound frame for `watchdogMs`: ping; no answer within 5 s: restart the socket. */
  private async watch(s: Session) {
    if (s.state !== 'connected' || !s.connection || !s.lastInboundAt) return
    if (Date.now() - s.lastInboundAt.getTime() < this.watchdogMs) return
    const connection = s.connection
    if (await connection.ping(5_000)) return
    if (s.connection !== connection) return
    this.log.warn({ userId: s.userId }, 'watchdog: no answer from WhatsApp, restarting the socket')
    s.restarting = true
    await connection.end()
  }

  private async purge(s: Session) {
    await new SqlCredentialStore(s.userId, this.auth, this.cipher).purge()
    await this.users.setIdentity(s.userId, '', '').catch(() => undefined)
    s.jid = undefined
    s.lid = undefined
    this.setState(s, 'logged_out')
    await this.auth.releaseLease(s.userId, this.owner)
  }

  private fail(s: Session, err: unknown) {
    this.log.error({ err, userId: s.userId }, 'session failed to reconnect')
    this.setState(s, 'failed')
  }

  private setState(s: Session, state: SessionState) {
    if (s.state !== state) {
      s.state = state
      s.since = new Date()
      this.options.counters?.stateChange?.(s.userId, state)
    }
    for (const listener of s.changed) listener()
  }

  private emit(s: Session, type: string, data: Record<string, unknown>, chat = '') {
    const event = { userId: s.userId, type, chat, jid: s.jid, lid: s.lid, at: new Date(), data }
    this.writing = this.writing
      .then(() => this.outbox.append([event]))
      .catch((err) => this.log.error({ err, userId: s.userId, type }, 'writing a session event failed'))
  }

  private every(s: Session, ms: number, run: () => void) {
    const timer = setInterval(run, ms)
    timer.unref()
    s.timers.add(timer)
  }

  private clearTimers(s: Session) {
    for (const timer of s.timers) clearTimeout(timer)
    s.timers.clear()
  }

  /** Resolves when `done()` holds (checked on every state change), or rejects after `ms`. */
  private until(s: Session, done: () => boolean, ms: number): Promise<void> {
    if (done()) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done()) return
        clearTimeout(timer)
        s.changed.delete(check)
        resolve()
      }
      const timer = setTimeout(() => {
        s.changed.delete(check)
        reject(new AppError('SESSION_NOT_READY', `session is still ${s.state}`))
      }, ms)
      s.changed.add(check)
    })
  }
}

/** DIGIGO's whatsappConfig → what the engine applies; the rest is stored and reported only. */
function clientProfile(config: Partial<WhatsAppConfig>): ClientProfile {
  const build = /^2\.(\d+)\.(\d+)$/.exec(config.waVersion ?? '')
  return {
    osName: config.waOSName || undefined,
    browserName: config.waDeviceName || undefined,
    osVersion: config.waOSVersion || undefined,
    version: build ? [2, Number(build[1]), Number(build[2])] : undefined,
    countryCode: config.waLocaleCountry || undefined,
  }
}
