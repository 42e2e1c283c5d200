import type { Migration } from 'kysely'
import * as m0001 from './0001-users.js'
import * as m0002 from './0002-sessions.js'
import * as m0003 from './0003-events.js'
import * as m0004 from './0004-messages.js'
import * as m0005 from './0005-chats.js'
import * as m0006 from './0006-contacts.js'
import * as m0007 from './0007-deliveries.js'
import * as m0008 from './0008-monitoring.js'
import * as m0009 from './0009-sink-leases.js'
import * as m0010 from './0010-instance-key.js'

/** Every migration, in order. Names sort; a migration, once released, never changes. */
export const migrations: Record<string, Migration> = {
  '0001-users': m0001,
  '0002-sessions': m0002,
  '0003-events': m0003,
  '0004-messages': m0004,
  '0005-chats': m0005,
  '0006-contacts': m0006,
  '0007-deliveries': m0007,
  '0008-monitoring': m0008,
  '0009-sink-leases': m0009,
  '0010-instance-key': m0010,
}
