import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import QRCode from 'qrcode'
import { AppError } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import { InstanceParams, MegaOk, megaErrors, ok, security, tags } from './envelope.js'
import { Instance, instanceView, qrPage } from './instance.mapper.js'
import { profileRoutes } from './profile.routes.js'
import { storeRoutes } from './store.routes.js'

const tag = tags('Instance')
const ref = Type.Ref('MegaapiError')

/** `/rest/instance/*`: status, QR and pairing, logout and restart; profile and store routes beside. */
export const instanceRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { sessions } = services

  /** Starts the session when needed, waits for its QR; refuses once logged in. */
  const qrImage = async (userId: string): Promise<string> => {
    const view = await sessions.connect(userId, 20_000)
    if (view.state === 'connected') throw new AppError('ALREADY_LOGGED_IN', 'the instance is already linked')
    return QRCode.toDataURL(sessions.qr(userId))
  }

  app.get(
    '/instance/:instance_key',
    {
      schema: {
        tags: tag,
        security,
        summary: 'Connection status; `user` only while connected',
        params: InstanceParams,
        response: { 200: MegaOk({ instance: Instance }), ...megaErrors },
      },
    },
    async (req) =>
      ok('Instance data fetched', {
        instance: instanceView(sessions.view(req.user!.id), req.params.instance_key, req.user!.name),
      }),
  )

  app.get(
    '/instance/qrcode/:instance_key',
    {
      schema: {
        tags: tag,
        security,
        summary: 'The QR to scan, in an HTML page (starts the session; 403 once logged in)',
        params: InstanceParams,
        response: {
          200: {
            description: 'An HTML page showing the QR as a PNG image; it reloads every 20 s',
            content: { 'text/html': { schema: Type.String() } },
          },
          ...megaErrors,
          409: ref,
        },
      },
    },
    async (req, reply) => reply.type('text/html; charset=utf-8').send(qrPage(await qrImage(req.user!.id))),
  )

  app.get(
    '/instance/qrcode_base64/:instance_key',
    {
      schema: {
        tags: tag,
        security,
        summary: 'The QR to scan as a PNG data URL, in `qrcode` and `qrcode_base64` (403 once logged in)',
        description:
          'Starts the session when needed and waits up to 20 s for the QR. WhatsApp renews it every 20 s: poll again.',
        params: InstanceParams,
        response: {
          200: MegaOk({
            qrcode: Type.String({ description: 'data:image/png;base64,…' }),
            qrcode_base64: Type.String({ description: 'the same data URL' }),
          }),
          ...megaErrors,
          409: ref,
        },
      },
    },
    async (req) => {
      const image = await qrImage(req.user!.id)
      return ok('QR code fetched', { qrcode: image, qrcode_base64: image })
    },
  )

  app.get(
    '/instance/pairingCode/:instance_key',
    {
      schema: {
        tags: tag,
        security,
        summary: 'A code to type on the phone instead of scanning the QR (403 once logged in)',
        params: InstanceParams,
        querystring: Type.Object({
          phoneNumber: Type.String({
            minLength: 1,
            description: 'The number to link, with country code (digits)',
            'x-aliases': ['phone', 'number'],
          }),
        }),
        response: {
          200: MegaOk({
            pairingCode: Type.String({ description: '8 characters, as WhatsApp gives it' }),
            code: Type.String({ description: 'the same code' }),
          }),
          ...megaErrors,
          409: ref,
        },
      },
    },
    async (req) => {
      const code = await sessions.pairPhone(req.user!.id, req.query.phoneNumber.replace(/\D/g, ''))
      return ok('Pairing code generated', { pairingCode: code, code })
    },
  )

  app.delete(
    '/instance/:instance_key/logout',
    {
      schema: {
        tags: tag,
        security,
        summary: 'Unlink the number from the instance and forget its credentials',
        params: InstanceParams,
        response: { 200: MegaOk(), ...megaErrors },
      },
    },
    async (req) => {
      await sessions.logout(req.user!.id)
      return ok('Logout successfully')
    },
  )

  app.delete(
    '/instance/:instance_key/restart',
    {
      schema: {
        tags: tag,
        security,
        summary: 'Reconnect the linked session (400 when the instance was never linked)',
        params: InstanceParams,
        response: { 200: MegaOk({ instance: Instance }), ...megaErrors, 409: ref },
      },
    },
    async (req) => {
      await sessions.refresh(req.user!.id, { appState: false, preKeys: false, privacy: false })
      const instance = instanceView(sessions.view(req.user!.id), req.params.instance_key, req.user!.name)
      return ok('Instance restarted', { instance })
    },
  )

  await app.register(storeRoutes, { services })
  await app.register(profileRoutes, { services })
}
