import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { TestClient } from './client.js'
import { VirtualContact } from './contact.js'
import { controlRoutes } from './control.routes.js'
import { MEDIA_TLS, MediaServer } from './media.js'
import { TestNetwork } from './network.js'
import { keepPhoneCopy } from './phone.js'

export interface TestNetworkInfo {
  wsUrl: string
  controlUrl: string
  mediaUrl: string
  rootPublicKey: string
  /** PEM of the media server's self-signed certificate, for clients to trust. */
  mediaCertificate: string
}

/** A running network: the chat WebSocket and control API on one port, plus its contacts. */
export class RunningNetwork {
  readonly contacts = new Map<string, VirtualContact>()
  info!: TestNetworkInfo

  constructor(
    readonly network: TestNetwork,
    readonly app: FastifyInstance,
    readonly media: MediaServer,
    private readonly log: Logger,
  ) {}

  /** Creates an account; unless `virtual` is false, links a Baileys client of its own to it. */
  async createAccount(phone: string, name: string, options: { virtual?: boolean; echo?: boolean } = {}) {
    const account = this.network.accounts.create(phone, name)
    if (options.virtual !== false && !this.contacts.has(phone)) {
      const client = new TestClient({
        wsUrl: this.info.wsUrl,
        rootPublicKey: Buffer.from(this.network.root.public),
        // Baileys logs a great deal at info; a contact's client speaks up from warn unless debugging.
        logger: this.log.child(
          { contact: phone },
          {
            level: ['debug', 'trace', 'silent'].includes(this.log.level) ? this.log.level : 'warn',
          },
        ),
        skipHistorySync: true,
        soleDevice: true,
      })
      const contact = new VirtualContact(
        phone,
        client,
        this.log.child({ contact: phone }),
        options.echo,
        (to, message) => keepPhoneCopy(this.network, to, message, phone),
      )
      this.contacts.set(phone, contact)
      const qr = client.waitFor('connection.update', (u) => Boolean(u.qr))
      client.start()
      this.network.link(phone, (await qr).qr!)
      await client.waitFor('connection.update', (u) => u.connection === 'open')
    }
    return account
  }

  async close(): Promise<void> {
    for (const contact of this.contacts.values()) contact.client.stop()
    this.network.close()
    await this.app.close()
    await this.media.close()
  }
}

/** Starts a network on `host:port` (port 0 = any free port). */
export async function startTestNetwork(options: {
  port?: number
  mediaPort?: number
  host?: string
  log: Logger
}): Promise<RunningNetwork> {
  const network = new TestNetwork(options.log)
  const app = Fastify({ logger: false })
  const media = new MediaServer()
  const running = new RunningNetwork(network, app, media, options.log)
  await app.register(controlRoutes, { running })
  network.attach(app.server)
  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'
  const mediaUrl = await media.listen(host, options.mediaPort)
  network.media = media
  running.info = {
    wsUrl: `ws://${host}:${port}/ws/chat`,
    controlUrl: `http://${host}:${port}`,
    mediaUrl,
    rootPublicKey: Buffer.from(network.root.public).toString('base64'),
    mediaCertificate: MEDIA_TLS.cert.toString(),
  }
  return running
}
