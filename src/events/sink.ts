import type { ZapEvent } from './event.js'

/** Where events go: a user's webhook, the global webhook, a broker. */
export interface Sink {
  /** Stable id, the key of its delivery state: `webhook:<user id>`, `global-webhook`… */
  readonly id: string
  /** webhook, rabbitmq, redis, nats, sqs, websocket (DIGIGO's `transport`). */
  readonly transport: string
  /** The user whose events it takes; undefined: every user's. */
  readonly userId: string | undefined
  /** Deliveries to one endpoint share its concurrency limit and circuit breaker. */
  readonly endpoint: string
  /** Whether it takes this event (subscription, skips). */
  wants(event: ZapEvent): boolean
  /** Delivers one event; resolves when the endpoint accepted it, throws a DeliveryError if not. */
  deliver(event: ZapEvent): Promise<void>
}

/** An endpoint did not accept an event; `final`: trying again cannot help (the DLQ takes it). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly final = false,
  ) {
    super(message)
    this.name = 'DeliveryError'
  }
}

/** What a broker sink is built from: its id, whose events it takes, and its filter. */
export interface SinkTarget {
  id: string
  userId?: string | undefined
  wants: (event: ZapEvent) => boolean
}

/** A sink whose identity and filter come from its target (the broker sinks). */
export abstract class TargetSink<T extends SinkTarget> implements Sink {
  abstract readonly transport: string

  constructor(
    protected readonly target: T,
    readonly endpoint: string,
  ) {}

  get id(): string {
    return this.target.id
  }

  get userId(): string | undefined {
    return this.target.userId
  }

  wants(event: ZapEvent): boolean {
    return this.target.wants(event)
  }

  abstract deliver(event: ZapEvent): Promise<void>
}
