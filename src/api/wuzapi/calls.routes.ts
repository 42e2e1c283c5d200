import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { Bool, responses, Str, security } from './extras.schemas.js'

/** Calls: /call/reject/send. */
export const callsRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { extras } = services

  app.post(
    '/call/reject/send',
    {
      schema: {
        tags: ['Call'],
        security,
        summary: 'Reject an incoming call and optionally message the caller',
        body: Type.Object({
          call_id: Str({ minLength: 1, 'x-aliases': ['CallID', 'id'] }),
          call_from: Str({ minLength: 1, 'x-aliases': ['from', 'CallFrom', 'caller'] }),
          reject_type: Type.Union(
            ['busy', 'declined', 'decline', 'unavailable'].map((t) => Type.Literal(t)),
            { description: '`decline` is accepted for `declined`' },
          ),
          message: Type.Optional(Str({ maxLength: 4096 })),
        }),
        response: responses(
          Type.Object({
            success: Bool,
            call_id: Str(),
            call_from: Str(),
            reject_type: Str(),
            action: Type.Literal('rejected'),
            message_sent: Bool,
          }),
        ),
      },
    },
    async (req) => {
      const { call_id, call_from, message } = req.body
      const reject_type = req.body.reject_type === 'decline' ? 'declined' : req.body.reject_type
      const r = await extras.rejectCall(req.user!.id, call_id, call_from, message)
      const base = { success: true, call_id, call_from: r.callFrom, reject_type }
      return { ...base, action: 'rejected' as const, message_sent: r.messageSent }
    },
  )
}
