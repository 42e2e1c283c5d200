import type { AuthCredsTable, AuthKeysTable, SessionLeasesTable } from './auth.table.js'
import type { DeliveriesTable, SinkCursorsTable } from './deliveries.table.js'
import type { EventsTable } from './events.table.js'
import type { ChatsTable, ContactsTable, IdentitiesTable, MessagesTable } from './messages.table.js'
import type { MetaTable } from './meta.table.js'
import type { MonitoringEventsTable } from './monitoring.table.js'
import type { UsersTable } from './users.table.js'

/** Every table Kysely knows about. */
export interface DB {
  users: UsersTable
  meta: MetaTable
  auth_creds: AuthCredsTable
  auth_keys: AuthKeysTable
  session_leases: SessionLeasesTable
  events: EventsTable
  messages: MessagesTable
  identities: IdentitiesTable
  chats: ChatsTable
  contacts: ContactsTable
  sink_cursors: SinkCursorsTable
  deliveries: DeliveriesTable
  monitoring_events: MonitoringEventsTable
}
