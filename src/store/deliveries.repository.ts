import type { Kysely } from 'kysely'
import type { DeliveryRow, DeliveryStatus, NewDeliveryRow } from './deliveries.table.js'
import type { DB } from './schema.js'

/** Which delivery rows: the DLQ and archive filters of DIGIGO's admin routes. */
export interface DeliveryFilter {
  status?: DeliveryStatus | undefined
  transport?: string | undefined
  userId?: string | undefined
  eventType?: string | undefined
  /** ISO times, on `updated_at` (when it was archived). */
  from?: string | undefined
  to?: string | undefined
}

/** Plain Kysely over `sink_cursors` and `deliveries`. */
export class DeliveriesRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async cursor(sink: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('sink_cursors')
      .select('seq')
      .where('sink', '=', sink)
      .executeTakeFirst()
    return row ? Number(row.seq) : undefined
  }

  async setCursor(sink: string, seq: number, at: string): Promise<void> {
    await this.db
      .insertInto('sink_cursors')
      .values({ sink, seq, updated_at: at })
      .onConflict((oc) => oc.column('sink').doUpdateSet({ seq, updated_at: at }))
      .execute()
  }

  /** Moves a sink back to `seq`, forgetting its outcomes past it. */
  async rewind(sink: string, seq: number, at: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('deliveries').where('sink', '=', sink).where('event_seq', '>', seq).execute()
      await tx
        .insertInto('sink_cursors')
        .values({ sink, seq, updated_at: at })
        .onConflict((oc) => oc.column('sink').doUpdateSet({ seq, updated_at: at }))
        .execute()
    })
  }

  /**
   * Takes or renews the sink's lease for `owner` until `until` (unix ms): when nobody holds it,
   * the owner does, or it lapsed. Returns whether the owner holds it now.
   */
  async lease(sink: string, owner: string, until: number, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('sink_cursors')
      .set({ owner, lease_until: until })
      .where('sink', '=', sink)
      .where((eb) => eb.or([eb('owner', '=', owner), eb('owner', '=', ''), eb('lease_until', '<', now)]))
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  async releaseLease(sink: string, owner: string): Promise<void> {
    await this.db
      .updateTable('sink_cursors')
      .set({ owner: '', lease_until: 0 })
      .where('sink', '=', sink)
      .where('owner', '=', owner)
      .execute()
  }

  async deleteCursor(sink: string): Promise<void> {
    await this.db.deleteFrom('sink_cursors').where('sink', '=', sink).execute()
  }

  /** The sink's rows past its cursor: what is settled or being retried there. */
  after(sink: string, seq: number): Promise<DeliveryRow[]> {
    return this.db
      .selectFrom('deliveries')
      .selectAll()
      .where('sink', '=', sink)
      .where('event_seq', '>', seq)
      .execute()
  }

  /** Replays asked for (rows set back to `retrying`) at or before the sink's cursor. */
  replays(sink: string, upTo: number, limit: number): Promise<DeliveryRow[]> {
    return this.db
      .selectFrom('deliveries')
      .selectAll()
      .where('sink', '=', sink)
      .where('status', '=', 'retrying')
      .where('event_seq', '<=', upTo)
      .orderBy('event_seq')
      .limit(limit)
      .execute()
  }

  /** Writes outcomes: one row per (sink, event), the latest outcome winning. */
  async record(rows: NewDeliveryRow[]): Promise<void> {
    // One outcome per (sink, event) per statement: the latest.
    const latest = new Map(rows.map((r) => [`${r.sink}|${r.event_seq}`, r]))
    const unique = [...latest.values()]
    for (let i = 0; i < unique.length; i += 500)
      await this.db
        .insertInto('deliveries')
        .values(unique.slice(i, i + 500))
        .onConflict((oc) =>
          oc.columns(['sink', 'event_seq']).doUpdateSet((eb) => ({
            status: eb.ref('excluded.status'),
            attempts: eb.ref('excluded.attempts'),
            last_error: eb.ref('excluded.last_error'),
            next_at: eb.ref('excluded.next_at'),
            payload: eb.ref('excluded.payload'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute()
  }

  private filtered(filter: DeliveryFilter) {
    let q = this.db.selectFrom('deliveries')
    if (filter.status) q = q.where('status', '=', filter.status)
    else q = q.where('status', 'in', ['success', 'dlq'])
    if (filter.transport) q = q.where('transport', '=', filter.transport)
    if (filter.userId) q = q.where('user_id', '=', filter.userId)
    if (filter.eventType) q = q.where('event_type', '=', filter.eventType)
    if (filter.from) q = q.where('updated_at', '>=', filter.from)
    if (filter.to) q = q.where('updated_at', '<=', filter.to)
    return q
  }

  list(filter: DeliveryFilter, limit: number, offset: number): Promise<DeliveryRow[]> {
    return this.filtered(filter).selectAll().orderBy('id', 'desc').limit(limit).offset(offset).execute()
  }

  async count(filter: DeliveryFilter): Promise<number> {
    const row = await this.filtered(filter)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst()
    return Number(row?.n ?? 0)
  }

  find(id: number): Promise<DeliveryRow | undefined> {
    return this.db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirst()
  }

  async delete(ids: number[]): Promise<number> {
    if (ids.length === 0) return 0
    const result = await this.db.deleteFrom('deliveries').where('id', 'in', ids).executeTakeFirst()
    return Number(result.numDeletedRows)
  }

  /** Sets rows back to `retrying` now (replay): the dispatcher delivers them again. */
  async replay(ids: number[], at: string): Promise<void> {
    if (ids.length === 0) return
    await this.db
      .updateTable('deliveries')
      .set((eb) => ({
        status: 'retrying',
        attempts: 0,
        next_at: at,
        replay_count: eb(eb.ref('replay_count'), '+', 1),
        last_replay_at: at,
        updated_at: at,
      }))
      .where('id', 'in', ids)
      .execute()
  }

  /** Counts by status, transport and event type. */
  async stats(): Promise<
    { status: string; transport: string; event_type: string; n: number; oldest: string; newest: string }[]
  > {
    const rows = await this.db
      .selectFrom('deliveries')
      .select((eb) => [
        'status',
        'transport',
        'event_type',
        eb.fn.countAll().as('n'),
        eb.fn.min('updated_at').as('oldest'),
        eb.fn.max('updated_at').as('newest'),
      ])
      .groupBy(['status', 'transport', 'event_type'])
      .execute()
    return rows.map((r) => ({ ...r, n: Number(r.n), oldest: String(r.oldest), newest: String(r.newest) }))
  }

  /** Deletes settled rows older than `before` (ISO); returns how many. */
  async prune(status: 'success' | 'dlq', before: string): Promise<number> {
    const result = await this.db
      .deleteFrom('deliveries')
      .where('status', '=', status)
      .where('updated_at', '<', before)
      .executeTakeFirst()
    return Number(result.numDeletedRows)
  }

  /** The oldest cursor among the given sinks: events past it are still needed. */
  async minCursor(): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('sink_cursors')
      .select((eb) => eb.fn.min('seq').as('seq'))
      .executeTakeFirst()
    return row?.seq == null ? undefined : Number(row.seq)
  }
}
