import type { Options } from 'amqplib'
import { parseSubscription } from '../events/catalogue.js'
import type { ZapEvent } from '../events/event.js'
import { type AmqpTarget, render } from '../events/sinks/amqp.sink.js'
import { skipped } from '../events/skips.js'
import type { RabbitMQConfig, User } from './users.model.js'

/** Defaults of a user's RabbitMQ (DIGIGO's examples): a queue per event type, bound by user and type. */
export const RABBIT_DEFAULTS = {
  exchange: 'zapwire',
  exchange_type: 'topic',
  queue: 'user_{user_id}_event_{event_type}',
  routing_key: 'whatsapp.{user_id}.{event_type}',
  queue_type: 'classic',
  durable: true,
  auto_delete: false,
  exclusive: false,
  delivery_mode: 2,
} as const

const num = (v: unknown) => (typeof v === 'number' && v > 0 ? v : undefined)
const obj = (v: unknown): Record<string, unknown> => {
  if (typeof v === 'string' && v.trim()) return JSON.parse(v) as Record<string, unknown>
  return v && typeof v === 'object' ? (v as Record<string, unknown>) : {}
}

/** A user's RabbitMQ settings (DIGIGO's RabbitMQConfig) as a sink target. */
export function userRabbitTarget(user: User): AmqpTarget | undefined {
  const c: Record<string, unknown> & RabbitMQConfig = { ...RABBIT_DEFAULTS, ...user.secrets.rabbitmq }
  if (!c.enabled || !c.url) return undefined
  const { events } = parseSubscription((c.events as string | string[] | undefined) || 'All')
  const args: Record<string, unknown> = {
    ...(c.queue_type && c.queue_type !== 'classic' ? { 'x-queue-type': c.queue_type } : {}),
    ...(c.dead_letter_exchange ? { 'x-dead-letter-exchange': c.dead_letter_exchange } : {}),
    ...(c.dead_letter_routing_key ? { 'x-dead-letter-routing-key': c.dead_letter_routing_key } : {}),
    ...(num(c.message_ttl) ? { 'x-message-ttl': c.message_ttl } : {}),
    ...(num(c.max_length) ? { 'x-max-length': c.max_length } : {}),
    ...(num(c.max_length_bytes) ? { 'x-max-length-bytes': c.max_length_bytes } : {}),
    ...obj(c.queue_arguments),
  }
  const options: Options.AssertQueue = {
    durable: c.durable !== false,
    autoDelete: c.auto_delete === true,
    exclusive: c.exclusive === true,
    arguments: args,
  }
  const routingKey = (event: ZapEvent) => render(String(c.routing_key), event)
  return {
    id: `rabbitmq:${user.id}`,
    userId: user.id,
    url: String(c.url),
    exchange: String(c.exchange),
    exchangeType: c.exchange_type as AmqpTarget['exchangeType'],
    exchangeArguments: obj(c.exchange_arguments),
    routingKey,
    queue: (event) =>
      c.queue ? { name: render(String(c.queue), event), bindKey: routingKey(event), options } : undefined,
    persistent: c.delivery_mode !== 1,
    wants: (event) =>
      !skipped(user.settings, event) && (events.includes('All') || events.includes(event.type)),
  }
}
