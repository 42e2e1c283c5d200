import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type TObject, Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { toPostedStatus } from './extras.mapper.js'
import { Bool, Recipients, responses, StatusAnswer, StatusId, Str, security } from './extras.schemas.js'

/** Status posts (stories): /status/send/{text,image,video,audio}. */
export const statusPostsRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { extras } = services

  const statusRoute = <B>(
    path: string,
    summary: string,
    body: TObject,
    handle: (userId: string, body: B) => Promise<object>,
  ) =>
    app.post(
      path,
      { schema: { tags: ['Status'], security, summary, body, response: responses(StatusAnswer) } },
      (req) => handle(req.user!.id, req.body as B),
    )

  statusRoute(
    '/status/send/text',
    'Post a text status (story) to your contacts',
    Type.Object({
      text: Str({ minLength: 1, maxLength: 650, 'x-aliases': ['Body', 'message'] }),
      background_color: Type.Optional(Str({ description: 'ARGB as a decimal number, e.g. "4294967295"' })),
      text_color: Type.Optional(Str({ description: 'ARGB as a decimal number' })),
      font: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
      id: StatusId,
      recipients: Recipients,
    }),
    async (
      userId,
      b: {
        text: string
        background_color?: string
        text_color?: string
        font?: number
        id?: string
        recipients?: string[]
      },
    ) => {
      const { text, background_color, text_color, font } = b
      const request = {
        kind: 'text' as const,
        text,
        backgroundColor: background_color,
        textColor: text_color,
        font,
      }
      return toPostedStatus('text_status', await extras.postStatus(userId, request, b.id, b.recipients))
    },
  )
  for (const kind of ['image', 'video'] as const) {
    statusRoute(
      `/status/send/${kind}`,
      `Post ${kind === 'image' ? 'an image' : 'a video'} status (data URL, base64 or http(s) URL)`,
      Type.Object({
        [kind]: Str({ minLength: 1 }),
        caption: Type.Optional(Str({ maxLength: 4096 })),
        id: StatusId,
        recipients: Recipients,
      }),
      async (userId, b: Record<string, string | string[] | undefined>) => {
        const request = { kind, source: b[kind] as string, caption: b.caption as string | undefined }
        const r = await extras.postStatus(
          userId,
          request,
          b.id as string | undefined,
          b.recipients as string[] | undefined,
        )
        return toPostedStatus(`${kind}_status`, r)
      },
    )
  }
  statusRoute(
    '/status/send/audio',
    'Post an audio or voice status (data URL, base64 or http(s) URL)',
    Type.Object({
      audio: Str({ minLength: 1 }),
      caption: Type.Optional(Str({ description: 'accepted; WhatsApp shows no caption on audio' })),
      ptt: Type.Optional(Bool),
      id: StatusId,
      recipients: Recipients,
    }),
    async (userId, b: { audio: string; ptt?: boolean; id?: string; recipients?: string[] }) => {
      const request = { kind: 'audio' as const, source: b.audio, ptt: b.ptt ?? false }
      const r = await extras.postStatus(userId, request, b.id, b.recipients)
      return { ...toPostedStatus('audio_status', r), ptt: b.ptt ?? false }
    },
  )
}
