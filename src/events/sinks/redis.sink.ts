import { Redis } from 'ioredis'
import type { ZapEvent } from '../event.js'
import { DeliveryError, type Sink } from '../sink.js'

export interface RedisTarget {
  id: string
  url: string
  /** `stream`: XADD to `<key>` (trimmed to about `maxLen`); `pubsub`: PUBLISH to `<key>:<event type>`. */
  mode: 'stream' | 'pubsub'
  key: string
  maxLen: number
  wants: (event: ZapEvent) => boolean
}

/** Redis: a stream (durable, consumer groups) or pub/sub channels, one entry per event. */
export class RedisSink implements Sink {
  readonly transport = 'redis'
  readonly userId = undefined
  readonly endpoint: string
  private readonly client: Redis

  constructor(private readonly target: RedisTarget) {
    this.endpoint = `redis:${target.url}`
    this.client = new Redis(target.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
    })
    this.client.on('error', () => undefined)
  }

  get id(): string {
    return this.target.id
  }

  wants(event: ZapEvent): boolean {
    return this.target.wants(event)
  }

  async deliver(event: ZapEvent): Promise<void> {
    const payload = JSON.stringify({
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
