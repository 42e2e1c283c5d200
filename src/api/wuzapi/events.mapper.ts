import type { Static } from '@sinclair/typebox'
import type { EventFilter, ZapEvent } from '../../events/event.js'
import type { EventsPage, EventsQuery, EventView } from './events.schemas.js'

export function toEventQuery(userId: string, q: Static<typeof EventsQuery>): EventFilter {
  return {
    userId,
    afterSeq: q.after,
    since: q.since ? new Date(q.since).toISOString() : undefined,
    types: q.type
      ?.split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    limit: q.limit ?? 100,
  }
}

export function toEventView(e: ZapEvent): Static<typeof EventView> {
  return {
    id: e.id,
    seq: e.seq,
    event: e.type,
    timestamp: e.at.toISOString(),
    chat: e.chat,
    jid: e.jid,
    lid: e.lid,
    data: e.data,
  }
}

export function toEventsPage(events: ZapEvent[], limit: number): Static<typeof EventsPage> {
  return {
    events: events.map(toEventView),
    next: events.length === limit ? (events.at(-1)?.seq ?? null) : null,
  }
}
