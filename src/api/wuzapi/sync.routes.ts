import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { toFullHistoryConfig, toSyncResult } from './extras.mapper.js'
import {
  Bool,
  FullHistoryConfig,
  Int,
  Phone,
  responses,
  Str,
  SyncResult,
  security,
} from './extras.schemas.js'

const syncTags = { tags: ['Sync'], security }
const ASYNC_NOTE = 'History will arrive asynchronously via HistorySync events (webhook/websocket).'

/** Sync: /sync/app-state, /sync/history-request, /sync/full-history. */
export const syncRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { extras } = services

  app.post(
    '/sync/app-state',
    {
      schema: {
        ...syncTags,
        summary: 'Re-sync the five app-state collections (full: from a snapshot)',
        body: Type.Optional(
          Type.Object({ full_sync: Type.Optional(Bool), auto_recovery: Type.Optional(Bool) }),
        ),
        response: responses(
          Type.Object({
            success: Bool,
            message: Str(),
            results: Type.Array(SyncResult),
            auto_recovery_enabled: Bool,
          }),
        ),
      },
    },
    async (req) => {
      const results = await extras.syncAppState(req.user!.id, req.body?.full_sync ?? true)
      const success = results.every((r) => r.success)
      const message = success
        ? `App state synchronized successfully. All ${results.length} patch types updated.`
        : 'App state synchronized with errors'
      const auto_recovery_enabled = req.body?.auto_recovery ?? true
      return { success, message, results: results.map(toSyncResult), auto_recovery_enabled }
    },
  )

  app.post(
    '/sync/history-request',
    {
      schema: {
        ...syncTags,
        summary: 'Ask the phone for older messages of one chat (they arrive as HistorySync events)',
        body: Type.Object({
          phone: Phone,
          oldest_message_id: Str({ minLength: 1 }),
          oldest_message_timestamp: Type.Integer({ minimum: 1, description: 'unix milliseconds' }),
          oldest_from_me: Type.Optional(Bool),
          count: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        }),
        response: responses(
          Type.Object({ success: Bool, message: Str(), request_id: Str(), chat: Str(), count: Int }),
        ),
      },
    },
    async (req) => {
      const b = req.body
      const r = await extras.requestHistory(req.user!.id, {
        phone: b.phone,
        oldestId: b.oldest_message_id,
        oldestTimestampMs: b.oldest_message_timestamp,
        oldestFromMe: b.oldest_from_me,
        count: b.count ?? 50,
      })
      const message = `History sync request sent successfully. ${ASYNC_NOTE}`
      return { success: true, message, request_id: r.requestId, chat: r.chat, count: r.count }
    },
  )

  app.post(
    '/sync/full-history',
    {
      schema: {
        ...syncTags,
        summary: 'Ask the phone for the history of every chat (FULL_HISTORY_SYNC_ON_DEMAND)',
        body: Type.Optional(
          Type.Object({
            days_limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
            size_mb_limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
            include_groups: Type.Optional(Bool),
            include_calls: Type.Optional(Bool),
          }),
        ),
        response: responses(
          Type.Object({ success: Bool, message: Str(), request_id: Str(), config: FullHistoryConfig }),
        ),
      },
    },
    async (req) => {
      const b = req.body ?? {}
      const r = await extras.requestFullHistory(req.user!.id, {
        daysLimit: b.days_limit ?? 30,
        sizeMbLimit: b.size_mb_limit ?? 1000,
        includeGroups: b.include_groups ?? true,
        includeCalls: b.include_calls ?? false,
      })
      const message = `Full history sync requested successfully. ${ASYNC_NOTE}`
      return { success: true, message, request_id: r.requestId, config: toFullHistoryConfig(r.config) }
    },
  )
}
