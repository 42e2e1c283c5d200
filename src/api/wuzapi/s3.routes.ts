import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { defaultSecrets, type S3Config } from '../../services/users.model.js'
import { Envelope, errorResponses, ok } from './envelope.js'
import { toUserInput } from './users.mapper.js'
import { S3ConfigBody } from './users.schemas.js'

const tags = ['Session S3']
const security = [{ ApiKeyAuth: [] }]
const Str = Type.String()
const Bool = Type.Boolean()

const S3View = Type.Object({
  enabled: Bool,
  endpoint: Str,
  region: Str,
  bucket: Str,
  access_key: Type.String({ description: 'masked' }),
  path_style: Bool,
  public_url: Str,
  path_prefix: Str,
  media_delivery: Str,
  retention_days: Type.Integer(),
  disable_acl: Bool,
})

/** Miauzap's `/s3/config` body: its names for the same settings. */
const MiauzapS3 = Type.Object({
  endpoint: Type.Optional(Type.String({ description: 'default https://s3.amazonaws.com' })),
  access_key: Type.Optional(Str),
  secret_key: Type.Optional(Str),
  bucket: Type.Optional(Str),
  region: Type.Optional(Str),
  path_prefix: Type.Optional(Str),
  force_path_style: Type.Optional(Bool),
})
type MiauzapS3 = typeof MiauzapS3.static

const fromMiauzap = (b: MiauzapS3): Partial<S3Config> => ({
  enabled: true,
  ...(b.endpoint !== undefined ? { endpoint: b.endpoint } : {}),
  ...(b.access_key !== undefined ? { access_key: b.access_key } : {}),
  ...(b.secret_key !== undefined ? { secret_key: b.secret_key } : {}),
  ...(b.bucket !== undefined ? { bucket: b.bucket } : {}),
  ...(b.region !== undefined ? { region: b.region } : {}),
  ...(b.path_prefix !== undefined ? { path_prefix: b.path_prefix } : {}),
  ...(b.force_path_style !== undefined ? { path_style: b.force_path_style } : {}),
})

const view = (s3: S3Config) => {
  const { secret_key: _secret, ...rest } = s3
  return { ...rest, access_key: s3.access_key ? '***' : '' }
}

/**
 * A user's S3 bucket for the media of its events: DIGIGO's `/session/s3/*` and Miauzap's `/s3/*`
 * (the same settings under other names).
 */
export const s3Routes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { users, mediaPipeline } = services

  app.post(
    '/session/s3/config',
    {
      schema: {
        tags,
        security,
        summary: 'Store the media of your events in your S3 bucket (AWS, MinIO, B2…)',
        body: S3ConfigBody,
        response: { 200: Envelope(Type.Object({ Details: Str, Enabled: Bool })), ...errorResponses },
      },
    },
    async (req) => {
      const user = await users.update(req.user!.id, toUserInput({ s3Config: req.body }), 'user')
      return ok({ Details: 'S3 configuration saved successfully', Enabled: user.secrets.s3.enabled })
    },
  )

  app.get(
    '/session/s3/config',
    {
      schema: {
        tags,
        security,
        summary: 'Your S3 settings (keys masked)',
        response: { 200: Envelope(S3View), ...errorResponses },
      },
    },
    async (req) => ok(view(req.user!.secrets.s3)),
  )

  app.delete(
    '/session/s3/config',
    {
      schema: {
        tags,
        security,
        summary: 'Forget your S3 settings: media goes inline (base64) again',
        response: { 200: Envelope(Type.Object({ Details: Str })), ...errorResponses },
      },
    },
    async (req) => {
      await users.update(req.user!.id, { s3Config: defaultSecrets().s3 }, 'user')
      return ok({ Details: 'S3 configuration deleted successfully' })
    },
  )

  app.post(
    '/session/s3/test',
    {
      schema: {
        tags,
        security,
        summary: 'Reach your bucket with the stored settings',
        response: {
          200: Envelope(Type.Object({ Details: Str, Bucket: Str, Region: Str })),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { s3 } = req.user!.secrets
      await mediaPipeline.testStored(s3)
      return ok({ Details: 'S3 connection test successful', Bucket: s3.bucket, Region: s3.region })
    },
  )

  app.get(
    '/s3/config',
    {
      schema: {
        tags,
        security,
        summary: 'Your S3 settings (Miauzap)',
        response: {
          200: Envelope(
            Type.Object({
              endpoint: Str,
              bucket: Str,
              region: Str,
              path_prefix: Str,
              force_path_style: Bool,
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { s3 } = req.user!.secrets
      return ok({
        endpoint: s3.endpoint,
        bucket: s3.bucket,
        region: s3.region,
        path_prefix: s3.path_prefix,
        force_path_style: s3.path_style,
      })
    },
  )

  app.put(
    '/s3/config',
    {
      schema: {
        tags,
        security,
        summary: 'Store the media of your events in your S3 bucket (Miauzap; turns S3 on)',
        body: MiauzapS3,
        response: { 200: Envelope(Type.Object({ message: Str })), ...errorResponses },
      },
    },
    async (req) => {
      await users.update(req.user!.id, toUserInput({ s3Config: fromMiauzap(req.body) }), 'user')
      return ok({ message: 'S3 configuration saved successfully' })
    },
  )

  app.post(
    '/s3/test',
    {
      schema: {
        tags,
        security,
        summary: 'Reach a bucket with the settings given (Miauzap; nothing is stored)',
        body: MiauzapS3,
        response: { 200: Envelope(Type.Object({ message: Str })), ...errorResponses },
      },
    },
    async (req) => {
      await mediaPipeline.testBucket({ ...defaultSecrets().s3, ...fromMiauzap(req.body) })
      return ok({ message: 'S3 connection test successful' })
    },
  )
}
