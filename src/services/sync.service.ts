import { randomBytes } from 'node:crypto'
import type { AppStateSyncResult } from '../engine/extras.js'
import type { SessionDeps } from './deps.js'
import { validation } from './errors.js'
import { parseRecipient } from './recipient.js'

const newRequestId = () => randomBytes(16).toString('hex').toUpperCase()

/** One chat's older messages: before the oldest one the client has. */
export interface HistoryRequest {
  phone: string
  oldestId: string
  oldestTimestampMs: number
  oldestFromMe?: boolean | undefined
  count: number
}

/** What the phone should send of every chat's history. */
export interface FullHistoryConfig {
  daysLimit: number
  sizeMbLimit: number
  includeGroups: boolean
  includeCalls: boolean
}

/** Sync: app-state collections again, and history on demand (one chat's, or every chat's). */
export class SyncService {
  constructor(private readonly deps: SessionDeps) {}

  async syncAppState(userId: string, full: boolean): Promise<AppStateSyncResult[]> {
    return this.deps.sessions.connection(userId).syncAppState(full)
  }

  /** ON_DEMAND history for one chat; the chunks arrive as HistorySync events with this request_id. */
  async requestHistory(userId: string, input: HistoryRequest) {
    if (!input.oldestId.trim()) throw validation('oldest_message_id is required')
    if (!(input.oldestTimestampMs > 0)) throw validation('oldest_message_timestamp is required')
    const chat = parseRecipient(input.phone)
    const connection = this.deps.sessions.connection(userId)
    const fromMe =
      input.oldestFromMe ??
      (await this.deps.chats.find(userId, input.oldestId).catch(() => undefined))?.fromMe ??
      false
    const requestId = newRequestId()
    await connection.requestHistory(
      {
        kind: 'chat',
        chat,
        oldest: { id: input.oldestId, fromMe, timestampMs: input.oldestTimestampMs },
        count: input.count,
      },
      requestId,
    )
    return { requestId, chat, count: input.count }
  }

  /** FULL_HISTORY_SYNC_ON_DEMAND; the chunks arrive as HistorySync events with this request_id. */
  async requestFullHistory(userId: string, config: FullHistoryConfig) {
    const connection = this.deps.sessions.connection(userId)
    const requestId = newRequestId()
    await connection.requestHistory({ kind: 'full', ...config }, requestId)
    return { requestId, config }
  }
}
