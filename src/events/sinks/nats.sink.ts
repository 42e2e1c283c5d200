import { connect, headers, type JetStreamClient, type NatsConnection } from 'nats'
import type { ZapEvent } from '../event.js'
import { DeliveryError, type Sink } from '../sink.js'

export interface NatsTarget {
  id: string
  url: string
  /** Events go to `<subject>.<user id>.<event type>`; the stream takes `<subject>.>`. */
  subject: string
  stream: string
  wants: (event: ZapEvent) => boolean
}

/**
 * NATS JetStream: each event published with its id as `Nats-Msg-Id`, so JetStream drops the
 * copies an at-least-once redelivery makes (within the stream's duplicate window).
 */
export class NatsSink implements Sink {
  readonly transport = 'nats'
  readonly userId = undefined
  readonly endpoint: string
  private connection: Promise<{ nc: NatsConnection; js: JetStreamClient }> | undefined

  constructor(private readonly target: NatsTarget) {
    this.endpoint = `nats:${target.url}`
  }

  get id(): string {
    return this.target.id
  }

  wants(event: ZapEvent): boolean {
    return this.target.wants(event)
  }

  private connect() {
    this.connection ??= (async () => {
      const nc = await connect({ servers: this.target.url.replace(/^nats:\/\//, ''), timeout: 5_000 })
      const jsm = await nc.jetstreamManager()
      await jsm.streams
        .info(this.target.stream)
        .catch(() => jsm.streams.add({ name: this.target.stream, subjects: [`${this.target.subject}.>`] }))
      return { nc, js: nc.jetstream() }
    })().catch((err) => {
      this.connection = undefined
      throw err
    })
    return this.connection
  }

  async deliver(event: ZapEvent): Promise<void> {
    try {
      const { js } = await this.connect()
      const h = headers()
      h.set('Nats-Msg-Id', event.id)
      const body = JSON.stringify({
        id: event.id,
        seq: event.seq,
        event: event.type,
        userId: event.userId,
        chat: event.chat,
        jid: event.jid,
        lid: event.lid,
        timestamp: event.at.toISOString(),
        data: event.data,
      })
      await js.publish(
        `${this.target.subject}.${event.userId}.${event.type}`,
        new TextEncoder().encode(body),
        {
          headers: h,
          msgID: event.id,
        },
      )
    } catch (err) {
      throw new DeliveryError(`nats: ${(err as Error).message}`)
    }
  }

  async close(): Promise<void> {
    const c = await this.connection?.catch(() => undefined)
    await c?.nc.close()
  }
}
