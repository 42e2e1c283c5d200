import type { Generated, Insertable, Selectable } from 'kysely'

export interface EventsTable {
  /** pg returns bigserial as text. */
  seq: Generated<number | string>
  id: string
  user_id: string
  type: string
  /** The chat the event belongs to ('' for session events): delivery keeps order per chat. */
  chat: string
  /** JSON: { jid, lid, data }. */
  payload: string
  created_at: string
}

export type EventRow = Selectable<EventsTable>
export type NewEventRow = Insertable<EventsTable>
