import { randomUUID } from 'node:crypto'
import type { EventRow, NewEventRow } from '../store/events.table.js'

/** A normalized event: what happened to one user's WhatsApp, in Zapwire's words. */
export interface ZapEvent {
  /** Stable: derived from WhatsApp ids for message events, so a re-emitted message keeps it. */
  id: string
  /** Position in the outbox (a cursor for replay). */
  seq: number
  userId: string
  /** One of the catalogue's names (docs/events.md). */
  type: string
  /** The chat it belongs to ('' for session events); delivery keeps order per chat. */
  chat: string
  /** The account's own phone JID and LID when the event was produced. */
  jid: string
  lid: string
  at: Date
  data: Record<string, unknown>
}

export type NewEvent = Pick<ZapEvent, 'userId' | 'type' | 'data'> &
  Partial<Pick<ZapEvent, 'id' | 'chat' | 'jid' | 'lid' | 'at'>>

export function eventToRow(event: NewEvent): NewEventRow {
  return {
    id: event.id ?? randomUUID(),
    user_id: event.userId,
    type: event.type,
    chat: event.chat ?? '',
    payload: JSON.stringify({ jid: event.jid ?? '', lid: event.lid ?? '', data: event.data }),
    created_at: (event.at ?? new Date()).toISOString(),
  }
}

export function rowToEvent(row: EventRow): ZapEvent {
  const payload = JSON.parse(row.payload) as { jid: string; lid: string; data: Record<string, unknown> }
  return {
    id: row.id,
    seq: Number(row.seq),
    userId: row.user_id,
    type: row.type,
    chat: row.chat,
    jid: payload.jid,
    lid: payload.lid,
    at: new Date(row.created_at),
    data: payload.data,
  }
}

/** Which events to read: one user's, after a cursor or since a time, of some types. */
export interface EventFilter {
  userId?: string | undefined
  afterSeq?: number | undefined
  /** ISO time. */
  since?: string | undefined
  types?: string[] | undefined
  limit: number
}

/** The JSON an event travels as on brokers and streams (RabbitMQ, Redis, NATS, SQS, /ws). */
export function eventEnvelope(event: ZapEvent) {
  return {
    id: event.id,
    seq: event.seq,
    event: event.type,
    userId: event.userId,
    chat: event.chat,
    jid: event.jid,
    lid: event.lid,
    timestamp: event.at.toISOString(),
    data: event.data,
  }
}
