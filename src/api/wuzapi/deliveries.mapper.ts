import { type Static, Type } from '@sinclair/typebox'
import type { Delivery } from '../../services/deliveries.service.js'

const Str = Type.String()
const Int = Type.Integer()
const Nullable = Type.Union([Type.String(), Type.Null()])

/** What DIGIGO's DLQEvent and ArchiveEvent share. */
const Common = {
  id: Int,
  transport: Str,
  user_id: Str,
  event_type: Str,
  event_id: Str,
  payload: Str,
  attempts: Int,
  archived_at: Str,
  replay_count: Int,
  last_replay_at: Nullable,
}

/** DIGIGO's DLQEvent. */
export const DlqEvent = Type.Object({ ...Common, last_error: Str, failed_at: Str })

/** DIGIGO's ArchiveEvent. */
export const ArchiveEvent = Type.Object({ ...Common, status: Str, last_error: Nullable, created_at: Str })

const common = (d: Delivery) => ({
  id: d.id,
  transport: d.transport,
  user_id: d.userId,
  event_type: d.eventType,
  event_id: d.eventId,
  payload: d.payload,
  attempts: d.attempts,
  archived_at: d.archivedAt,
  replay_count: d.replayCount,
  last_replay_at: d.lastReplayAt,
})

export function toDlqEvent(d: Delivery): Static<typeof DlqEvent> {
  return { ...common(d), last_error: d.lastError, failed_at: d.archivedAt }
}

export function toArchiveEvent(d: Delivery): Static<typeof ArchiveEvent> {
  return { ...common(d), status: d.status, last_error: d.lastError || null, created_at: d.createdAt }
}

type StatRow = {
  status: string
  transport: string
  event_type: string
  n: number
  oldest: string
  newest: string
}

/** Counts by transport and event type (and status) from the grouped rows. */
export function tally(rows: StatRow[]) {
  const sum = (key: 'transport' | 'event_type' | 'status') =>
    rows.reduce<Record<string, number>>((acc, r) => {
      acc[r[key]] = (acc[r[key]] ?? 0) + r.n
      return acc
    }, {})
  const total = rows.reduce((n, r) => n + r.n, 0)
  const oldest = rows.length ? rows.map((r) => r.oldest).sort()[0]! : null
  const newest = rows.length
    ? rows
        .map((r) => r.newest)
        .sort()
        .at(-1)!
    : null
  return {
    total,
    oldest,
    newest,
    byTransport: sum('transport'),
    byEventType: sum('event_type'),
    byStatus: sum('status'),
  }
}

/** DIGIGO's ArchiveStats from the grouped rows. */
export function toArchiveStats(stats: StatRow[]) {
  const rows = stats.filter((r) => r.status !== 'retrying')
  const all = tally(rows)
  const ok = tally(rows.filter((r) => r.status === 'success'))
  const dlq = tally(rows.filter((r) => r.status === 'dlq'))
  const byTransportStatus: Record<string, Record<string, number>> = {}
  for (const r of rows) {
    const counts = byTransportStatus[r.transport] ?? {}
    counts[r.status] = (counts[r.status] ?? 0) + r.n
    byTransportStatus[r.transport] = counts
  }
  return {
    total_count: all.total,
    success_count: ok.total,
    dlq_count: dlq.total,
    oldest_success: ok.oldest,
    newest_success: ok.newest,
    oldest_dlq: dlq.oldest,
    newest_dlq: dlq.newest,
    by_transport: all.byTransport,
    by_event_type: all.byEventType,
    by_status: all.byStatus,
    by_transport_status: byTransportStatus,
  }
}
