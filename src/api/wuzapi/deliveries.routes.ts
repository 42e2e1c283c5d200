import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type Static, Type } from '@sinclair/typebox'
import { validation } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import {
  ArchiveEvent,
  DlqEvent,
  tally,
  toArchiveEvent,
  toArchiveStats,
  toDlqEvent,
} from './deliveries.mapper.js'
import { errorResponses } from './envelope.js'

const tags = ['Admin DLQ & archive']
const security = [{ AdminAuth: [] }]
const ref = Type.Ref('WuzapiError')
const Counts = Type.Record(Type.String(), Type.Integer())
const Nullable = Type.Union([Type.String(), Type.Null()])
const Filters = {
  transport: Type.Optional(Type.String()),
  user_id: Type.Optional(Type.String()),
  event_type: Type.Optional(Type.String()),
  from_date: Type.Optional(Type.String({ format: 'date-time' })),
  to_date: Type.Optional(Type.String({ format: 'date-time' })),
}
const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
}
const Status = Type.Union([Type.Literal(''), Type.Literal('dlq'), Type.Literal('success')])
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })

type FilterInput = {
  transport?: string
  user_id?: string
  event_type?: string
  from_date?: string
  to_date?: string
}
const filterOf = (q: FilterInput, status?: 'dlq' | 'success' | '') => ({
  status: status === 'dlq' ? ('dlq' as const) : status === 'success' ? ('success' as const) : undefined,
  transport: q.transport,
  userId: q.user_id,
  eventType: q.event_type,
  from: q.from_date,
  to: q.to_date,
})

/** DIGIGO's `/admin/dlq*` and `/admin/archive*`: events given up on, and those delivered. */
export const deliveriesRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { deliveries } = services

  app.get(
    '/admin/dlq',
    {
      schema: {
        tags,
        security,
        summary: 'Events given up on after the retry bounds (newest first)',
        querystring: Type.Object({ ...Filters, ...Paging }),
        response: {
          200: Type.Object({
            success: Type.Boolean(),
            total: Type.Integer(),
            count: Type.Integer(),
            events: Type.Array(DlqEvent),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { limit = 50, offset = 0 } = req.query
      const { items, total } = await deliveries.list(filterOf(req.query, 'dlq'), limit, offset)
      return { success: true, total, count: items.length, events: items.map(toDlqEvent) }
    },
  )

  app.delete(
    '/admin/dlq',
    {
      schema: {
        tags,
        security,
        summary: 'Delete DLQ events by filter (confirm=true, or dry_run=true to count)',
        querystring: Type.Object({
          ...Filters,
          dry_run: Type.Optional(Type.Boolean()),
          confirm: Type.Optional(Type.Boolean()),
        }),
        response: {
          200: Type.Object({
            success: Type.Boolean(),
            deleted: Type.Integer(),
            dry_run: Type.Boolean(),
            message: Type.String(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const dryRun = req.query.dry_run ?? false
      if (!dryRun && !req.query.confirm) throw validation('confirm=true required for actual deletion')
      const deleted = await deliveries.deleteWhere(filterOf(req.query, 'dlq'), 100_000, dryRun)
      return {
        success: true,
        deleted,
        dry_run: dryRun,
        message: dryRun ? `${deleted} DLQ events would be deleted` : `${deleted} DLQ events deleted`,
      }
    },
  )

  app.get(
    '/admin/dlq/stats',
    {
      schema: {
        tags,
        security,
        summary: 'DLQ statistics',
        response: {
          200: Type.Object({
            success: Type.Boolean(),
            stats: Type.Object({
              total_count: Type.Integer(),
              oldest_event: Nullable,
              newest_event: Nullable,
              by_transport: Counts,
              by_event_type: Counts,
            }),
          }),
          ...errorResponses,
        },
      },
    },
    async () => {
      const s = tally((await deliveries.stats()).filter((r) => r.status === 'dlq'))
      return {
        success: true,
        stats: {
          total_count: s.total,
          oldest_event: s.oldest,
          newest_event: s.newest,
          by_transport: s.byTransport,
          by_event_type: s.byEventType,
        },
      }
    },
  )

  app.get(
    '/admin/dlq/:id',
    {
      schema: {
        tags,
        security,
        summary: 'One DLQ event',
        params: IdParams,
        response: {
          200: Type.Object({ success: Type.Boolean(), event: DlqEvent }),
          ...errorResponses,
          404: ref,
        },
      },
    },
    async (req) => ({ success: true, event: toDlqEvent(await deliveries.get(req.params.id, 'dlq')) }),
  )

  app.delete(
    '/admin/dlq/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete one DLQ event',
        params: IdParams,
        response: {
          200: Type.Object({ success: Type.Boolean(), message: Type.String() }),
          ...errorResponses,
          404: ref,
        },
      },
    },
    async (req) => {
      await deliveries.delete(req.params.id, 'dlq')
      return { success: true, message: `DLQ event ${req.params.id} deleted successfully` }
    },
  )

  app.post(
    '/admin/dlq/replay',
    {
      schema: {
        tags,
        security,
        summary: 'Deliver a DLQ event again (it leaves the DLQ once delivered)',
        body: Type.Object({
          id: Type.Integer({ minimum: 1 }),
          dry_run: Type.Optional(Type.Boolean()),
          remove_after: Type.Optional(Type.Boolean()),
        }),
        response: {
          200: Type.Object({
            success: Type.Boolean(),
            message: Type.String(),
            event_id: Type.Integer(),
            transport: Type.String(),
            dry_run: Type.Boolean(),
            replay_count: Type.Integer(),
          }),
          ...errorResponses,
          404: ref,
        },
      },
    },
    async (req) => {
      const dryRun = req.body.dry_run ?? false
      const event = await deliveries.get(req.body.id, 'dlq')
      await deliveries.replay([event.id], dryRun)
      return {
        success: true,
        message: dryRun ? 'dry run: the event would be replayed' : 'event replayed',
        event_id: event.id,
        transport: event.transport,
        dry_run: dryRun,
        replay_count: event.replayCount + (dryRun ? 0 : 1),
      }
    },
  )

  app.post(
    '/admin/dlq/prune',
    {
      schema: {
        tags,
        security,
        summary: 'Prune the DLQ and the archive past their retention now',
        response: {
          200: Type.Object({
            success: Type.Boolean(),
            message: Type.String(),
            pruner_stats: Type.Object({
              total_pruned: Type.Integer(),
              total_archive_pruned: Type.Integer(),
              last_prune_time: Type.String(),
              next_prune_time: Type.String(),
            }),
          }),
          ...errorResponses,
        },
      },
    },
    async () => {
      const { archive, dlq } = await deliveries.prune()
      return {
        success: true,
        message: 'prune triggered successfully',
        pruner_stats: {
          total_pruned: dlq,
          total_archive_pruned: archive,
          last_prune_time: new Date().toISOString(),
          next_prune_time: new Date(Date.now() + 3_600_000).toISOString(),
        },
      }
    },
  )

  const ArchiveFilter = Type.Object({
    status: Type.String(),
    transport: Type.String(),
    user_id: Type.String(),
    event_type: Type.String(),
  })
  const archiveFilterOf = (q: FilterInput & { status?: string }): Static<typeof ArchiveFilter> => ({
    status: q.status ?? '',
    transport: q.transport ?? '',
    user_id: q.user_id ?? '',
    event_type: q.event_type ?? '',
  })

  app.get(
    '/admin/archive',
    {
      schema: {
        tags,
        security,
        summary: 'Delivered (status=success) and given-up (status=dlq) events, newest first',
        querystring: Type.Object({ status: Type.Optional(Status), ...Filters, ...Paging }),
        response: {
          200: Type.Object({
            code: Type.Integer(),
            success: Type.Boolean(),
            data: Type.Array(ArchiveEvent),
            count: Type.Integer(),
            total: Type.Integer(),
            filter: ArchiveFilter,
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { limit = 50, offset = 0 } = req.query
      const { items, total } = await deliveries.list(filterOf(req.query, req.query.status), limit, offset)
      return {
        code: 200,
        success: true,
        data: items.map(toArchiveEvent),
        count: items.length,
        total,
        filter: archiveFilterOf(req.query),
      }
    },
  )

  app.delete(
    '/admin/archive',
    {
      schema: {
        tags,
        security,
        summary: 'Delete archive entries by filter (at least one)',
        body: Type.Object({
          status: Type.Optional(Type.Union([Type.Literal('dlq'), Type.Literal('success')])),
          transport: Type.Optional(Type.String()),
          user_id: Type.Optional(Type.String()),
          event_type: Type.Optional(Type.String()),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
        }),
        response: {
          200: Type.Object({
            code: Type.Integer(),
            success: Type.Boolean(),
            deleted: Type.Integer(),
            failed: Type.Integer(),
            total: Type.Integer(),
            filter: ArchiveFilter,
            errors: Type.Array(Type.String()),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const b = req.body
      if (!b.status && !b.transport && !b.user_id && !b.event_type)
        throw validation(
          'bulk deletion requires at least one filter (status, transport, user_id, or event_type)',
        )
      const deleted = await deliveries.deleteWhere(filterOf(b, b.status), b.limit ?? 50, false)
      return {
        code: 200,
        success: true,
        deleted,
        failed: 0,
        total: deleted,
        filter: archiveFilterOf(b),
        errors: [],
      }
    },
  )

  app.get(
    '/admin/archive/stats',
    {
      schema: {
        tags,
        security,
        summary: 'Archive statistics',
        response: {
          200: Type.Object({
            code: Type.Integer(),
            success: Type.Boolean(),
            data: Type.Object({
              total_count: Type.Integer(),
              success_count: Type.Integer(),
              dlq_count: Type.Integer(),
              oldest_success: Nullable,
              newest_success: Nullable,
              oldest_dlq: Nullable,
              newest_dlq: Nullable,
              by_transport: Counts,
              by_event_type: Counts,
              by_status: Counts,
              by_transport_status: Type.Record(Type.String(), Counts),
            }),
          }),
          ...errorResponses,
        },
      },
    },
    async () => {
      return { code: 200, success: true, data: toArchiveStats(await deliveries.stats()) }
    },
  )

  app.get(
    '/admin/archive/:id',
    {
      schema: {
        tags,
        security,
        summary: 'One archive entry',
        params: IdParams,
        response: {
          200: Type.Object({ code: Type.Integer(), success: Type.Boolean(), data: ArchiveEvent }),
          ...errorResponses,
          404: ref,
        },
      },
    },
    async (req) => ({ code: 200, success: true, data: toArchiveEvent(await deliveries.get(req.params.id)) }),
  )

  app.delete(
    '/admin/archive/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete one archive entry',
        params: IdParams,
        response: {
          200: Type.Object({
            code: Type.Integer(),
            success: Type.Boolean(),
            event_id: Type.Integer(),
            message: Type.String(),
            deleted: Type.Integer(),
          }),
          ...errorResponses,
          404: ref,
        },
      },
    },
    async (req) => {
      await deliveries.delete(req.params.id)
      return {
        code: 200,
        success: true,
        event_id: req.params.id,
        message: 'Event deleted successfully',
        deleted: 1,
      }
    },
  )

  app.post(
    '/admin/archive/replay',
    {
      schema: {
        tags,
        security,
        summary: 'Deliver again one event (event_id) or many by filter; they stay in the archive',
        body: Type.Object({
          event_id: Type.Optional(Type.Integer({ minimum: 1 })),
          status: Type.Optional(Type.Union([Type.Literal('dlq'), Type.Literal('success')])),
          transport: Type.Optional(Type.String()),
          user_id: Type.Optional(Type.String()),
          event_type: Type.Optional(Type.String()),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
          dry_run: Type.Optional(Type.Boolean()),
        }),
        response: {
          200: Type.Object({
            code: Type.Integer(),
            success: Type.Boolean(),
            replayed: Type.Integer(),
            failed: Type.Integer(),
            total: Type.Integer(),
            dry_run: Type.Boolean(),
            event_id: Type.Optional(Type.Integer()),
            message: Type.String(),
            filter: ArchiveFilter,
            events: Type.Optional(Type.Array(ArchiveEvent)),
            count: Type.Optional(Type.Integer()),
            errors: Type.Array(Type.String()),
          }),
          ...errorResponses,
          404: ref,
        },
      },
    },
    async (req) => {
      const b = req.body
      const dryRun = b.dry_run ?? false
      const replayed = b.event_id
        ? await deliveries.replay([(await deliveries.get(b.event_id)).id], dryRun)
        : await deliveries.replayWhere(filterOf(b, b.status), b.limit ?? 50, dryRun)
      return {
        code: 200,
        success: true,
        replayed: dryRun ? 0 : replayed.length,
        failed: 0,
        total: replayed.length,
        dry_run: dryRun,
        ...(b.event_id ? { event_id: b.event_id } : {}),
        message: dryRun
          ? `${replayed.length} events would be replayed`
          : `${replayed.length} events replayed`,
        filter: archiveFilterOf(b),
        ...(dryRun ? { events: replayed.map(toArchiveEvent), count: replayed.length } : {}),
        errors: [],
      }
    },
  )
}
