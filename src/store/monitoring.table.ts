import type { Generated, Insertable, Selectable } from 'kysely'

export type MonitoringStatus = 'pending' | 'processing' | 'delivered' | 'failed'

export interface MonitoringEventsTable {
  id: Generated<number | string>
  /** '' for system records. */
  user_id: string
  /** message.sent, message.failed, message.received, group.update. */
  event_type: string
  /** What it is about (a message id), to update its status. */
  ref: string
  /** JSON. */
  payload: string
  status: MonitoringStatus
  attempts: number
  created_at: string
  updated_at: string
}

export type MonitoringRow = Selectable<MonitoringEventsTable>
export type NewMonitoringRow = Insertable<MonitoringEventsTable>
