import { Redis } from 'ioredis'
import { eventEnvelope, type ZapEvent } from '../event.js'
import { DeliveryError, type SinkTarget, TargetSink } from '../sink.js'

export interface RedisTarget extends SinkTarget {
  url: string
  /** `stream`: XADD to `<key>` (trimmed to about `maxLen`); `pubsub`: PUBLISH to `<key>:<event type>`. */
  mode: 'stream' | 'pubsub'
  key: string
  maxLen: number
}

/** Redis: a stream (durable, consumer groups) or pub/sub channels, one entry per event. */
export class RedisSink extends TargetSink<RedisTarget> {
  readonly transport = 'redis'
  private readonly client: Redis

  constructor(target: RedisTarget) {
    super(target, `redis:${target.url}`)
    this.client = new Redis(target.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
    })
    this.client.on('error', () => undefined)
  }

  async deliver(event: ZapEvent): Promise<void> {
    const payload = JSON.stringify(eventEnvelope(event))
    try {
      if (this.target.mode === 'pubsub')
        await this.client.publish(`${this.target.key}:${event.type}`, payload)
      else
        await this.client.xadd(
          this.target.key,
          'MAXLEN',
          '~',
          String(this.target.maxLen),
          '*',
          'id',
          event.id,
          'event',
          event.type,
          'user',
          event.userId,
          'payload',
          payload,
        )
    } catch (err) {
      throw new DeliveryError(`redis: ${(err as Error).message}`)
    }
  }

  async close(): Promise<void> {
    this.client.disconnect()
  }
}
