import type { SessionDeps } from './deps.js'
import { validation } from './errors.js'

/** DIGIGO's query strings of the instance list. */
export interface InstancesQuery {
  limit?: string | undefined
  offset?: string | undefined
  ids?: string | undefined
  include_total?: string | undefined
}

/** Every instance's connection health, for the admin. */
export class InstancesService {
  constructor(private readonly deps: SessionDeps) {}

  /**
   * Every instance's connection health, paginated (DIGIGO's query strings: `limit` 1–1000, default
   * 200; `offset`; `ids` comma-separated ids or serials; `include_total`): the in-memory session
   * when there is one, else what is stored.
   */
  async instances(query: InstancesQuery) {
    const limit = intParam(query.limit, 200, 1, 1000, 'invalid limit parameter')
    const offset = intParam(query.offset, 0, 0, Number.MAX_SAFE_INTEGER, 'invalid offset parameter')
    const includeTotal = boolParam(query.include_total, 'invalid include_total parameter')
    const wanted = new Set(
      (query.ids ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    const users = (await this.deps.users.list())
      .filter((u) => wanted.size === 0 || wanted.has(u.id) || wanted.has(String(u.serial)))
      .sort((a, b) => a.serial - b.serial)
    const page = users.slice(offset, offset + limit)
    const hasMore = offset + page.length < users.length
    return {
      items: page.map((user) => ({ user, session: this.deps.sessions.view(user.id) })),
      pagination: {
        limit,
        offset,
        has_more: hasMore,
        next_offset: hasMore ? offset + page.length : null,
        ...(includeTotal ? { total: users.length } : {}),
      },
    }
  }
}

function intParam(value: string | undefined, fallback: number, min: number, max: number, message: string) {
  if (value === undefined || value === '') return fallback
  const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN
  if (!Number.isInteger(n) || n < min || n > max) throw validation(message)
  return n
}

function boolParam(value: string | undefined, message: string) {
  const v = (value ?? '').trim().toLowerCase()
  if (v === '' || v === 'false' || v === '0') return false
  if (v === 'true' || v === '1') return true
  throw validation(message)
}
