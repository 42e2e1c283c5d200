import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { EventsRepository } from '../store/events.repository.js'
import type { DB } from '../store/schema.js'
import { type EventFilter, eventToRow, type NewEvent, rowToEvent, type ZapEvent } from './event.js'

const DAY_MS = 86_400_000

/**
 * Where every event goes first. `append` takes the transaction of the store write the events
 * report, so an event exists exactly when its change does. Listeners hear about new events
 * once they are written (the dispatcher and live streams start from there).
 */
export class Outbox {
  private readonly listeners = new Set<() => void>()
  private pruner: NodeJS.Timeout | undefined

  constructor(
    private readonly repository: EventsRepository,
    private readonly log: Logger,
    private readonly retentionDays = 7,
    /** The oldest sink cursor: events past it are not yet delivered everywhere and are kept. */
    private readonly holdAfter: () => Promise<number | undefined> = async () => undefined,
  ) {}

  /** Writes the events (inside `tx` when given; call `notify()` after it commits). */
  async append(events: NewEvent[], tx?: Kysely<DB>): Promise<void> {
    await this.repository.append(events.map(eventToRow), tx)
    if (!tx) this.notify()
  }

  notify(): void {
    for (const listener of this.listeners) listener()
  }

  onAppend(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The position just before the first event at or after `since` (ISO time). */
  seqBefore(since: string): Promise<number> {
    return this.repository.seqBefore(since)
  }

  /** The newest event's position (0 when there is none). */
  lastSeq(): Promise<number> {
    return this.repository.lastSeq()
  }

  async list(query: EventFilter): Promise<ZapEvent[]> {
    return (await this.repository.list(query)).map(rowToEvent)
  }

  /** Deletes what is older than the retention; returns how many. */
  async prune(now = Date.now()): Promise<number> {
    return this.repository.pruneBefore(
      new Date(now - this.retentionDays * DAY_MS).toISOString(),
      await this.holdAfter(),
    )
  }

  /** Prunes now and then every hour until `stop()`. */
  start(): void {
    const run = () =>
      void this.prune()
        .then((n) => n > 0 && this.log.info({ pruned: n }, 'old events pruned'))
        .catch((err) => this.log.warn({ err }, 'pruning events failed'))
    run()
    this.pruner = setInterval(run, 3_600_000)
    this.pruner.unref()
  }

  stop(): void {
    clearInterval(this.pruner)
  }
}
