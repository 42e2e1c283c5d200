import type { AuthenticationState } from 'baileys'
import { type Logger, pino } from 'pino'
import { TestClient } from './client.js'
import type { InboxMessage } from './contact.js'
import type { Fault } from './faults.js'
import { type RunningNetwork, startTestNetwork } from './server.js'

/** Waits for `check` to return a value, polling; fails with `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

export interface LinkOptions {
  auth?: AuthenticationState
  saveCreds?: () => Promise<void>
  byCode?: boolean
  keepAliveIntervalMs?: number
}

/** A network for a test file: start it, add contacts, link clients, inject faults, close it. */
export class NetworkHarness {
  private readonly clients: TestClient[] = []

  constructor(
    readonly running: RunningNetwork,
    readonly log: Logger,
  ) {}

  static async start(log = pino({ level: process.env.TESTNET_LOG ?? 'silent' })): Promise<NetworkHarness> {
    return new NetworkHarness(await startTestNetwork({ log }), log)
  }

  get network() {
    return this.running.network
  }

  /** A virtual contact: an account whose own Baileys client the network runs. */
  async contact(phone: string, name = phone, echo = false) {
    await this.running.createAccount(phone, name, { echo })
    return this.running.contacts.get(phone)!
  }

  /** A client outside the network (what a gateway is) linked to `phone`'s account by QR or code. */
  async link(phone: string, options: LinkOptions = {}): Promise<TestClient> {
    if (!this.network.accounts.get(phone)) this.network.accounts.create(phone, phone)
    const client = this.client(options)
    const qr = client.waitFor('connection.update', (u) => Boolean(u.qr))
    client.start()
    const { qr: shown } = await qr
    if (options.byCode) {
      const code = await client.socket!.requestPairingCode(phone)
      await this.network.linkByCode(phone, code)
    } else {
      this.network.link(phone, shown!)
    }
    await client.waitFor('connection.update', (u) => u.connection === 'open')
    return client
  }

  /** A client with existing credentials, logging in again. */
  async login(auth: AuthenticationState, options: LinkOptions = {}): Promise<TestClient> {
    const client = this.client({ ...options, auth })
    const open = client.waitFor('connection.update', (u) => u.connection === 'open')
    client.start()
    await open
    return client
  }

  client(options: LinkOptions = {}): TestClient {
    const client = new TestClient({
      wsUrl: this.running.info.wsUrl,
      rootPublicKey: Buffer.from(this.network.root.public),
      logger: this.log.child({ client: this.clients.length }),
      skipHistorySync: true,
      ...(options.auth ? { auth: options.auth } : {}),
      ...(options.saveCreds ? { saveCreds: options.saveCreds } : {}),
      ...(options.keepAliveIntervalMs ? { keepAliveIntervalMs: options.keepAliveIntervalMs } : {}),
    })
    this.clients.push(client)
    return client
  }

  /** The first message in `phone`'s inbox that `match` accepts. */
  inbox(phone: string, match: (m: InboxMessage) => boolean, timeoutMs = 10_000): Promise<InboxMessage> {
    const contact = this.running.contacts.get(phone)
    if (!contact) throw new Error(`${phone} is not a virtual contact`)
    return eventually(`a message in ${phone}'s inbox`, () => contact.inbox.find(match), timeoutMs)
  }

  fault(jid: string, fault: Fault): void {
    this.network.inject(jid, fault)
  }

  async close(): Promise<void> {
    for (const client of this.clients) client.stop()
    await this.running.close()
  }
}

/**
 * Links a new in-memory Baileys client to `phone` on a network in another process, through its
 * control API only (creates the account without a client of its own first).
 */
export async function linkOverHttp(
  info: { controlUrl: string; wsUrl: string; rootPublicKey: string },
  phone: string,
  logger: Logger,
): Promise<TestClient> {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${info.controlUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  }
  await post('/accounts', { phone, virtual: false })
  const client = new TestClient({
    wsUrl: info.wsUrl,
    rootPublicKey: Buffer.from(info.rootPublicKey, 'base64'),
    logger,
    skipHistorySync: true,
  })
  const qr = client.waitFor('connection.update', (u) => Boolean(u.qr), 30_000)
  client.start()
  const open = client.waitFor('connection.update', (u) => u.connection === 'open', 60_000)
  await post(`/accounts/${phone}/link`, { qr: (await qr).qr })
  await open
  return client
}
