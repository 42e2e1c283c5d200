import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { Envelope, ok } from './envelope.js'
import { Bool, Int, LabelId, Phone, responses, Str, security } from './extras.schemas.js'

const labelTags = { tags: ['Label'], security }
const applied = (apply: boolean) => (apply ? 'Label applied successfully' : 'Label removed successfully')

/** Labels on chats and messages: /label/manage, /label/chat, /label/message. */
export const labelsRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { extras } = services

  app.post(
    '/label/manage',
    {
      schema: {
        ...labelTags,
        summary: 'Create, edit or delete a label (app-state patch on every device)',
        body: Type.Object({
          label_id: Type.Optional(LabelId),
          label_name: Type.Optional(Str({ maxLength: 100, 'x-aliases': ['name'] })),
          label_color: Type.Optional(Type.Integer({ minimum: 0, maximum: 19, 'x-aliases': ['color'] })),
          delete: Type.Optional(Bool),
        }),
        response: responses(
          Envelope(
            Type.Object({
              success: Bool,
              message: Str(),
              label_id: Str(),
              label_name: Str(),
              label_color: Int,
            }),
          ),
        ),
      },
    },
    async (req) => {
      const { label_id: id, label_name: name, label_color: color, delete: remove } = req.body
      const label = await extras.manageLabel(req.user!.id, { id, name, color, delete: remove })
      const message = label.deleted
        ? 'Label deleted successfully'
        : label.created
          ? 'Label created successfully'
          : 'Label updated successfully'
      return ok({
        success: true,
        message,
        label_id: label.id,
        label_name: label.name,
        label_color: label.color,
      })
    },
  )

  app.post(
    '/label/chat',
    {
      schema: {
        ...labelTags,
        summary: 'Apply or remove a label on a chat',
        body: Type.Object({ phone: Phone, label_id: LabelId, apply: Bool }),
        response: responses(
          Envelope(
            Type.Object({ success: Bool, message: Str(), jid: Str(), label_id: Str(), applied: Bool }),
          ),
        ),
      },
    },
    async (req) => {
      const { phone, label_id, apply } = req.body
      const jid = await extras.labelChat(req.user!.id, phone, label_id, apply)
      return ok({ success: true, message: applied(apply), jid, label_id, applied: apply })
    },
  )

  app.post(
    '/label/message',
    {
      schema: {
        ...labelTags,
        summary: 'Apply or remove a label on a message',
        body: Type.Object({
          phone: Phone,
          message_id: Str({ minLength: 1, 'x-aliases': ['id', 'messageid'] }),
          label_id: LabelId,
          apply: Bool,
        }),
        response: responses(
          Envelope(
            Type.Object({
              success: Bool,
              message: Str(),
              jid: Str(),
              message_id: Str(),
              label_id: Str(),
              applied: Bool,
            }),
          ),
        ),
      },
    },
    async (req) => {
      const { phone, message_id, label_id, apply } = req.body
      const jid = await extras.labelMessage(req.user!.id, phone, message_id, label_id, apply)
      return ok({ success: true, message: applied(apply), jid, message_id, label_id, applied: apply })
    },
  )
}
