import multipart from '@fastify/multipart'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import { Envelope, errorResponses, ok } from './envelope.js'

const Uploaded = Type.Object({
  url: Type.String(),
  direct_path: Type.String(),
  media_key: Type.String({ description: 'base64' }),
  mimetype: Type.String(),
  file_enc_sha256: Type.String({ description: 'base64' }),
  file_sha256: Type.String({ description: 'base64' }),
  file_length: Type.Integer(),
  media_type: Type.String({ description: 'Zapwire: image, video, audio or document' }),
})

/** wuzapi's `POST /media/upload`: a multipart `file` uploaded to WhatsApp's media servers. */
export const mediaRoutes: FastifyPluginAsyncTypebox<{ services: Services; fileLimit: number }> = async (
  app,
  { services, fileLimit },
) => {
  await app.register(multipart, { limits: { fileSize: fileLimit, files: 1, fields: 10 } })
  app.post(
    '/media/upload',
    {
      schema: {
        tags: ['Chat'],
        security: [{ ApiKeyAuth: [] }],
        summary: 'Upload a file (multipart field `file`) to WhatsApp’s media servers',
        consumes: ['multipart/form-data'],
        response: {
          200: Envelope(Uploaded),
          ...errorResponses,
          409: Type.Ref('WuzapiError'),
        },
      },
    },
    async (req) => {
      if (!req.isMultipart())
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send multipart/form-data with a file field')
      const file = await req.file()
      if (file?.fieldname !== 'file') throw new AppError('VALIDATION', 'file is required')
      const data = await file.toBuffer().catch(() => {
        throw new AppError('PAYLOAD_TOO_LARGE', 'file is too large')
      })
      const up = await services.messages.upload(req.user!.id, data, file.mimetype)
      return ok({
        url: up.url ?? '',
        direct_path: up.directPath ?? '',
        media_key: up.mediaKey ?? '',
        mimetype: up.mimetype,
        file_enc_sha256: up.fileEncSha256 ?? '',
        file_sha256: up.fileSha256 ?? '',
        file_length: up.fileLength ?? data.length,
        media_type: up.kind,
      })
    },
  )
}
