import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { Outbox } from '../events/outbox.js'
import type { DB } from '../store/schema.js'
import type { ChatsService } from './chats.service.js'
import type { IdentityService } from './identity.service.js'
import type { MediaFetcher } from './media.js'
import type { MessagesService } from './messages.service.js'
import type { MonitoringService } from './monitoring.service.js'
import type { SessionsService } from './sessions.service.js'
import type { UsersService } from './users.service.js'

/** What the services built on a live session (groups, newsletters, account, extras) may use. */
export interface SessionDeps {
  db: Kysely<DB>
  sessions: SessionsService
  users: UsersService
  identity: IdentityService
  messages: MessagesService
  chats: ChatsService
  media: MediaFetcher
  outbox: Outbox
  monitoring: MonitoringService
  log: Logger
}
