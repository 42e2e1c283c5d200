import { Type } from '@sinclair/typebox'

export const EventsQuery = Type.Object({
  after: Type.Optional(
    Type.Integer({ minimum: 0, description: 'Only events after this seq (the cursor from `next`)' }),
  ),
  since: Type.Optional(
    Type.String({ format: 'date-time', description: 'Only events at or after this time' }),
  ),
  type: Type.Optional(Type.String({ description: 'Comma-separated event names' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
})

export const EventView = Type.Object({
  id: Type.String({ description: 'Stable event id (the same on every delivery)' }),
  seq: Type.Integer({ description: 'Position in the outbox' }),
  event: Type.String(),
  timestamp: Type.String({ format: 'date-time' }),
  chat: Type.String(),
  jid: Type.String({ description: 'The account’s phone JID' }),
  lid: Type.String({ description: 'The account’s LID' }),
  data: Type.Record(Type.String(), Type.Unknown()),
})

export const EventsPage = Type.Object({
  events: Type.Array(EventView),
  next: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Pass as `after` for the next page; null when this page was the last',
  }),
})
