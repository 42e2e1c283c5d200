import { connect, headers, type JetStreamClient, type NatsConnection } from 'nats'
import { eventEnvelope, type ZapEvent } from '../event.js'
import { DeliveryError, type SinkTarget, TargetSink } from '../sink.js'

export interface NatsTarget extends SinkTarget {
  url: string
  /** Events go to `<subject>.<user id>.<event type>`; the stream takes `<subject>.>`. */
  subject: string
  stream: string
}

/**
 * NATS JetStream: each event published with its id as `Nats-Msg-Id`, so JetStream drops the
 * copies an at-least-once redelivery makes (within the stream's duplicate window).
 */
export class NatsSink extends TargetSink<NatsTarget> {
  readonly transport = 'nats'
  private connection: Promise<{ nc: NatsConnection; js: JetStreamClient }> | undefined

  constructor(target: NatsTarget) {
    super(target, `nats:${target.url}`)
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
      const body = JSON.stringify(eventEnvelope(event))
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
