import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib'
import type { ZapEvent } from '../event.js'
import { DeliveryError, type Sink } from '../sink.js'

export interface AmqpTarget {
  id: string
  url: string
  /** A durable topic exchange; events are published as `<routing prefix>.<event type>`. */
  exchange: string
  /** A durable queue bound with `routingKey` (DIGIGO's defaults: digigo.events, events.#). */
  queue: string
  routingKey: string
  wants: (event: ZapEvent) => boolean
}

/** RabbitMQ with publisher confirms: an event counts as delivered once the broker confirmed it. */
export class AmqpSink implements Sink {
  readonly transport = 'rabbitmq'
  readonly userId = undefined
  readonly endpoint: string
  private channel: Promise<{ connection: ChannelModel; channel: ConfirmChannel }> | undefined

  constructor(private readonly target: AmqpTarget) {
    this.endpoint = `amqp:${target.url}`
  }

  get id(): string {
    return this.target.id
  }

  wants(event: ZapEvent): boolean {
    return this.target.wants(event)
  }

  private open() {
    this.channel ??= (async () => {
      const connection = await amqp.connect(this.target.url)
      const forget = () => {
        this.channel = undefined
      }
      connection.on('error', forget)
      connection.on('close', forget)
      const channel = await connection.createConfirmChannel()
      channel.on('error', forget)
      channel.on('close', forget)
      await channel.assertExchange(this.target.exchange, 'topic', { durable: true })
      if (this.target.queue) {
        await channel.assertQueue(this.target.queue, { durable: true })
        await channel.bindQueue(this.target.queue, this.target.exchange, this.target.routingKey)
      }
      return { connection, channel }
    })().catch((err) => {
      this.channel = undefined
      throw err
    })
    return this.channel
  }

  async deliver(event: ZapEvent): Promise<void> {
    const prefix = this.target.routingKey.replace(/\.?[#*]$/, '') || 'events'
    const body = Buffer.from(
      JSON.stringify({
        id: event.id,
        seq: event.seq,
        event: event.type,
        userId: event.userId,
        chat: event.chat,
        jid: event.jid,
        lid: event.lid,
        timestamp: event.at.toISOString(),
        data: event.data,
      }),
    )
    try {
      const { channel } = await this.open()
      await new Promise<void>((resolve, reject) => {
        channel.publish(
          this.target.exchange,
          `${prefix}.${event.type}`,
          body,
          { persistent: true, messageId: event.id, contentType: 'application/json', type: event.type },
          (err) => (err ? reject(err) : resolve()),
        )
      })
    } catch (err) {
      throw new DeliveryError(`rabbitmq: ${(err as Error).message}`)
    }
  }

  async close(): Promise<void> {
    const c = await this.channel?.catch(() => undefined)
    await c?.connection.close().catch(() => undefined)
  }
}
