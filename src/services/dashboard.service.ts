import type { AttemptRecord, Dispatcher } from '../events/dispatcher.js'
import type { SessionsService, SessionView } from './sessions.service.js'
import type { User } from './users.model.js'
import type { UsersService } from './users.service.js'

/** Attempts kept in memory for the delivery log (the newest; older ones are in the archive/DLQ). */
export const ATTEMPT_LOG_SIZE = 5_000

export interface InstanceQuery {
  /** Matches the name, id, serial, phone JID or LID (case-insensitive substring). */
  search?: string | undefined
  /** Only instances in one of these states. */
  states?: string[] | undefined
  limit: number
  offset: number
}

export interface InstanceRow {
  user: User
  session: SessionView
}

/**
 * What the operators' dashboard needs beyond the dialects' routes: a searchable, paged list of
 * instances with their live session state, and a log of every delivery attempt (kept in memory,
 * per process, newest first: the dispatcher never reads the receiver's body, so an attempt
 * records its outcome, latency and the error text, e.g. `HTTP 400`).
 */
export class DashboardService {
  private readonly log: AttemptRecord[] = []
  private next = 0

  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    dispatcher: Dispatcher,
  ) {
    dispatcher.onAttempt((record) => this.recordAttempt(record))
  }

  /** A ring buffer: the newest ATTEMPT_LOG_SIZE attempts. */
  recordAttempt(record: AttemptRecord): void {
    if (this.log.length < ATTEMPT_LOG_SIZE) this.log.push(record)
    else this.log[this.next] = record
    this.next = (this.next + 1) % ATTEMPT_LOG_SIZE
  }

  /**
   * Newest first, optionally one user's, one outcome's, or those of one event. `ownSinksOf` keeps
   * only the attempts to that user's own sinks (`webhook:<id>`, `rabbitmq:<id>`): a user token
   * never sees the global transports' attempts, whose errors name the operator's infrastructure.
   */
  attempts(filter: {
    userId?: string | undefined
    ownSinksOf?: string | undefined
    outcome?: string | undefined
    eventId?: string | undefined
    limit: number
  }): AttemptRecord[] {
    const out: AttemptRecord[] = []
    const n = this.log.length
    const own = filter.ownSinksOf ? `:${filter.ownSinksOf}` : undefined
    for (let i = 1; i <= n && out.length < filter.limit; i++) {
      const r = this.log[(this.next - i + n * 2) % n]!
      if (filter.userId && r.userId !== filter.userId) continue
      if (own && (r.userId !== filter.ownSinksOf || !r.sink.endsWith(own))) continue
      if (filter.outcome && r.outcome !== filter.outcome) continue
      if (filter.eventId && r.eventId !== filter.eventId) continue
      out.push(r)
    }
    return out
  }

  /** One instance with its session's live view (USER_NOT_FOUND → 404). */
  async instance(id: string): Promise<InstanceRow> {
    const user = await this.users.get(id)
    return { user, session: this.sessions.view(user.id) }
  }

  /** Instances by serial, filtered and paged, each with its session's live view. */
  async instances(query: InstanceQuery): Promise<{ items: InstanceRow[]; total: number }> {
    const needle = query.search?.trim().toLowerCase() ?? ''
    const states = new Set(query.states ?? [])
    const rows = (await this.users.list())
      .sort((a, b) => a.serial - b.serial)
      .map((user) => ({ user, session: this.sessions.view(user.id) }))
      .filter(({ user, session }) => {
        if (states.size > 0 && !states.has(session.state)) return false
        if (!needle) return true
        return [user.name, user.id, String(user.serial), user.jid, user.lid, session.jid ?? '']
          .join('\n')
          .toLowerCase()
          .includes(needle)
      })
    return { items: rows.slice(query.offset, query.offset + query.limit), total: rows.length }
  }
}
