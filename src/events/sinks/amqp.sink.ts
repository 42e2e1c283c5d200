import amqp, { type ChannelModel, type ConfirmChannel, type Options } from 'amqplib'
import { eventEnvelope, type ZapEvent } from '../event.js'
import { DeliveryError, type SinkTarget, TargetSink } from '../sink.js'

export interface AmqpTarget extends SinkTarget {
  url: string
  exchange: string
  exchangeType: 'topic' | 'direct' | 'fanout' | 'headers'
  exchangeArguments?: Record<string, unknown> | undefined
  /** The routing key an event is published with. */
  routingKey: (event: ZapEvent) => string
  /** The queue an event should land in (declared and bound on first use), if any. */
  queue: (event: ZapEvent) => { name: string; bindKey: string; options: Options.AssertQueue } | undefined
  persistent: boolean
}

/** RabbitMQ with publisher confirms: an event counts as delivered once the broker confirmed it. */
export class AmqpSink extends TargetSink<AmqpTarget> {
  readonly transport = 'rabbitmq'
  private channel: Promise<{ connection: ChannelModel; channel: ConfirmChannel }> | undefined
  /** Queues declared and bound on this channel. */
  private readonly declared = new Set<string>()

  constructor(target: AmqpTarget) {
    super(target, `amqp:${target.url}`)
  }

  private open() {
    this.channel ??= (async () => {
      const connection = await amqp.connect(this.target.url)
      const forget = () => {
        this.channel = undefined
        this.declared.clear()
      }
      connection.on('error', forget)
      connection.on('close', forget)
      const channel = await connection.createConfirmChannel()
      channel.on('error', forget)
      channel.on('close', forget)
      await channel.assertExchange(this.target.exchange, this.target.exchangeType, {
        durable: true,
        ...(this.target.exchangeArguments ? { arguments: this.target.exchangeArguments } : {}),
      })
      return { connection, channel }
    })().catch((err) => {
      this.channel = undefined
      throw err
    })
    return this.channel
  }

  async deliver(event: ZapEvent): Promise<void> {
    const body = Buffer.from(JSON.stringify(eventEnvelope(event)))
    try {
      const { channel } = await this.open()
      const queue = this.target.queue(event)
      if (queue && !this.declared.has(queue.name)) {
        await channel.assertQueue(queue.name, queue.options)
        await channel.bindQueue(queue.name, this.target.exchange, queue.bindKey)
        this.declared.add(queue.name)
      }
      await new Promise<void>((resolve, reject) => {
        channel.publish(
          this.target.exchange,
          this.target.routingKey(event),
          body,
          {
            persistent: this.target.persistent,
            messageId: event.id,
            contentType: 'application/json',
            type: event.type,
          },
          (err) => (err ? reject(err) : resolve()),
        )
      })
    } catch (err) {
      throw new DeliveryError(`rabbitmq: ${(err as Error).message}`)
    }
  }

  /** The queues declared so far. */
  queues(): string[] {
    return [...this.declared]
  }

  /** Connects and declares the exchange, then closes (a connection test). */
  static async check(target: AmqpTarget): Promise<void> {
    const connection = await amqp.connect(target.url)
    try {
      const channel = await connection.createChannel()
      await channel.assertExchange(target.exchange, target.exchangeType, { durable: true })
    } finally {
      await connection.close().catch(() => undefined)
    }
  }

  /** Deletes these queues (those that exist). */
  static async deleteQueues(target: AmqpTarget, names: string[]): Promise<void> {
    const connection = await amqp.connect(target.url)
    try {
      const channel = await connection.createChannel()
      for (const name of names) await channel.deleteQueue(name)
    } finally {
      await connection.close().catch(() => undefined)
    }
  }

  async close(): Promise<void> {
    const c = await this.channel?.catch(() => undefined)
    await c?.connection.close().catch(() => undefined)
  }
}

/** `{user_id}` and `{event_type}` in a queue name or routing key. */
export const render = (template: string, event: ZapEvent) =>
  template.replaceAll('{user_id}', event.userId).replaceAll('{event_type}', event.type)
