import type { Kysely } from 'kysely'
import type { EventRow, NewEventRow } from './events.table.js'
import type { DB } from './schema.js'

export interface EventQuery {
  userId?: string | undefined
  afterSeq?: number | undefined
  since?: string | undefined
  types?: string[] | undefined
  limit: number
}

/** Plain Kysely over `events` (the outbox). Pass a transaction to append with a store write. */
export class EventsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Inserts rows whose id is new; a row with a known id is left as it is. */
  async append(rows: NewEventRow[], db: Kysely<DB> = this.db): Promise<void> {
    if (rows.length === 0) return
    await db
      .insertInto('events')
      .values(rows)
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
  }

  async lastSeq(): Promise<number> {
    const row = await this.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst()
    return Number(row?.seq ?? 0)
  }

  /** The position just before the first event written at or after `since` (ISO). */
  async seqBefore(since: string): Promise<number> {
    const row = await this.db
      .selectFrom('events')
      .select((eb) => eb.fn.min('seq').as('seq'))
      .where('created_at', '>=', since)
      .executeTakeFirst()
    return row?.seq == null ? await this.lastSeq() : Number(row.seq) - 1
  }

  list(query: EventQuery): Promise<EventRow[]> {
    let q = this.db.selectFrom('events').selectAll()
    if (query.userId) q = q.where('user_id', '=', query.userId)
    if (query.afterSeq !== undefined) q = q.where('seq', '>', query.afterSeq)
    if (query.since) q = q.where('created_at', '>=', query.since)
    if (query.types?.length) q = q.where('type', 'in', query.types)
    return q.orderBy('seq').limit(query.limit).execute()
  }

  /**
   * Deletes events written before `before` (ISO time), but none past `keepAfterSeq` (not yet
   * delivered everywhere); returns how many.
   */
  async pruneBefore(before: string, keepAfterSeq?: number): Promise<number> {
    let q = this.db.deleteFrom('events').where('created_at', '<', before)
    if (keepAfterSeq !== undefined) q = q.where('seq', '<=', keepAfterSeq)
    const result = await q.executeTakeFirst()
    return Number(result.numDeletedRows)
  }
}
