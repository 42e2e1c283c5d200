import type makeWASocket from 'baileys'
import type { Logger } from 'pino'
import type { ConnectionEvent } from '../port.js'

export type Socket = ReturnType<typeof makeWASocket>

/** What each part of the adapter (groups, newsletters, account, extras) is built from. */
export interface AdapterContext {
  socket: Socket
  /** Reports an event to the session (a `notice` becomes an outbox event of that name). */
  onEvent: (event: ConnectionEvent) => void
  /** The account's own phone JID (with device) and LID. */
  me: () => { id: string; lid: string | undefined }
  logger: Logger
}
