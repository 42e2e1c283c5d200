import type { Generated, Insertable, Selectable } from 'kysely'

export interface SinkCursorsTable {
  sink: string
  /** pg returns bigint as text. */
  seq: number | string
  updated_at: string
  /** The process delivering the sink, and until when its lease holds (unix ms). */
  owner: Generated<string>
  lease_until: Generated<number | string>
}

export type DeliveryStatus = 'success' | 'dlq' | 'retrying'

export interface DeliveriesTable {
  id: Generated<number | string>
  /** `webhook:<user id>`, `global-webhook`… */
  sink: string
  /** webhook, rabbitmq, redis, nats, sqs, websocket. */
  transport: string
  user_id: string
  event_seq: number | string
  event_id: string
  event_type: string
  status: DeliveryStatus
  attempts: number
  last_error: string
  /** ISO time of the next attempt (retrying). */
  next_at: string
  /** The event as it was (JSON), kept for DLQ rows: the outbox may prune it. */
  payload: string
  replay_count: Generated<number>
  last_replay_at: string | null
  created_at: string
  updated_at: string
}

export type DeliveryRow = Selectable<DeliveriesTable>
export type NewDeliveryRow = Insertable<DeliveriesTable>
