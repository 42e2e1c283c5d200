import type { Kysely } from 'kysely'
import type { MonitoringRow, MonitoringStatus, NewMonitoringRow } from './monitoring.table.js'
import type { DB } from './schema.js'

export interface MonitoringFilter {
  userId?: string | undefined
  eventType?: string | undefined
  status?: MonitoringStatus | undefined
  sinceId?: number | undefined
  sinceTime?: string | undefined
  onlyFailed?: boolean | undefined
}

/** Plain Kysely over `monitoring_events`. */
export class MonitoringRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(row: NewMonitoringRow, db: Kysely<DB> = this.db): Promise<number> {
    const { id } = await db
      .insertInto('monitoring_events')
      .values(row)
      .returning('id')
      .executeTakeFirstOrThrow()
    return Number(id)
  }

  async setStatus(id: number, status: MonitoringStatus, at: string, payload?: string): Promise<void> {
    await this.db
      .updateTable('monitoring_events')
      .set((eb) => ({
        status,
        attempts: eb(eb.ref('attempts'), '+', status === 'processing' ? 1 : 0),
        updated_at: at,
        ...(payload !== undefined ? { payload } : {}),
      }))
      .where('id', '=', id)
      .execute()
  }

  /** Oldest first, after `sinceId`. */
  list(filter: MonitoringFilter, limit: number): Promise<MonitoringRow[]> {
    let q = this.db.selectFrom('monitoring_events').selectAll()
    if (filter.userId) q = q.where('user_id', '=', filter.userId)
    if (filter.eventType) q = q.where('event_type', '=', filter.eventType)
    if (filter.status) q = q.where('status', '=', filter.status)
    if (filter.onlyFailed) q = q.where('status', '=', 'failed')
    if (filter.sinceId !== undefined) q = q.where('id', '>', filter.sinceId)
    if (filter.sinceTime) q = q.where('created_at', '>=', filter.sinceTime)
    return q.orderBy('id').limit(limit).execute()
  }

  /** Changed after `since` (ISO): what a live stream must send again (status updates). */
  changedSince(since: string, filter: MonitoringFilter, limit: number): Promise<MonitoringRow[]> {
    let q = this.db.selectFrom('monitoring_events').selectAll().where('updated_at', '>', since)
    if (filter.userId) q = q.where('user_id', '=', filter.userId)
    if (filter.eventType) q = q.where('event_type', '=', filter.eventType)
    if (filter.status) q = q.where('status', '=', filter.status)
    if (filter.onlyFailed) q = q.where('status', '=', 'failed')
    return q.orderBy('updated_at').limit(limit).execute()
  }

  async counts(): Promise<{ status: string; event_type: string; n: number }[]> {
    const rows = await this.db
      .selectFrom('monitoring_events')
      .select((eb) => ['status', 'event_type', eb.fn.countAll().as('n')])
      .groupBy(['status', 'event_type'])
      .execute()
    return rows.map((r) => ({ ...r, n: Number(r.n) }))
  }

  async pruneBefore(before: string): Promise<number> {
    const r = await this.db
      .deleteFrom('monitoring_events')
      .where('created_at', '<', before)
      .executeTakeFirst()
    return Number(r.numDeletedRows)
  }
}
