import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import QRCode from 'qrcode'
import { redactUrl } from '../../lib/redact.js'
import type { Services } from '../../services/index.js'
import { Envelope, errorResponses, ok } from './envelope.js'
import { toRefreshData, toStatusData } from './session.mapper.js'
import {
  ConnectBody,
  ConnectData,
  PairPhoneBody,
  ProxyBody,
  RefreshBody,
  RefreshData,
  StatusData,
} from './session.schemas.js'

const tags = ['Session']
const security = [{ ApiKeyAuth: [] }]
const conflict = { 409: Type.Ref('WuzapiError') }
const Details = (key: 'Details' | 'details') => Envelope(Type.Object({ [key]: Type.String() }))

/** `/session/*`: connect, status, QR, pairing code, disconnect, logout. */
export const sessionRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { sessions, users } = services

  app.post(
    '/session/connect',
    {
      schema: {
        tags,
        security,
        summary: 'Connect to WhatsApp (a QR appears at /session/qr when not paired yet)',
        body: Type.Optional(ConnectBody),
        response: { 200: Envelope(ConnectData), ...errorResponses, ...conflict },
      },
    },
    async (req) => {
      const user =
        req.body?.Subscribe === undefined
          ? req.user!
          : await users.update(req.user!.id, { events: req.body.Subscribe }, 'user')
      const view = await sessions.connect(user.id, req.body?.Immediate === false ? 10_000 : 0)
      return ok({
        details: 'Connected!',
        events: user.settings.events.join(','),
        jid: view.jid ?? '',
        webhook: redactUrl(user.settings.webhook),
      })
    },
  )

  app.get(
    '/session/status',
    {
      schema: {
        tags,
        security,
        summary: 'Session status',
        response: { 200: Envelope(StatusData), ...errorResponses },
      },
    },
    async (req) => {
      const view = sessions.view(req.user!.id)
      const image = view.qr ? await QRCode.toDataURL(view.qr) : ''
      return ok(toStatusData(view, req.user!, users.secondsRemaining(req.user!), image))
    },
  )

  app.get(
    '/session/qr',
    {
      schema: {
        tags,
        security,
        summary: 'The QR to scan, as a PNG data URL ("" once logged in)',
        response: { 200: Envelope(Type.Object({ QRCode: Type.String() })), ...errorResponses, ...conflict },
      },
    },
    async (req) => {
      const qr = sessions.qr(req.user!.id)
      return ok({ QRCode: qr ? await QRCode.toDataURL(qr) : '' })
    },
  )

  app.post(
    '/session/pairphone',
    {
      schema: {
        tags,
        security,
        summary: 'Link by pairing code instead of QR: enter the code on the phone',
        body: PairPhoneBody,
        response: {
          200: Envelope(Type.Object({ LinkingCode: Type.String() })),
          ...errorResponses,
          ...conflict,
        },
      },
    },
    async (req) =>
      ok({
        LinkingCode: formatCode(await sessions.pairPhone(req.user!.id, req.body.Phone.replace(/\D/g, ''))),
      }),
  )

  app.post(
    '/session/proxy',
    {
      schema: {
        tags,
        security,
        summary: 'Set or disable the proxy for the WhatsApp socket and media (applies at the next connect)',
        body: ProxyBody,
        response: {
          200: Type.Object({ Details: Type.String(), ProxyURL: Type.String() }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { proxy_url, enable, bypass } = req.body
      const user = await users.update(
        req.user!.id,
        { proxyConfig: { enabled: enable, url: proxy_url, ...(bypass ? { bypass } : {}) } },
        'user',
      )
      return {
        Details: enable ? 'Proxy configured successfully' : 'Proxy disabled',
        ProxyURL: redactUrl(user.secrets.proxy.url),
      }
    },
  )

  app.post(
    '/session/disconnect',
    {
      schema: {
        tags,
        security,
        summary: 'Close the connection, keep the pairing',
        response: { 200: Details('Details'), ...errorResponses },
      },
    },
    async (req) => {
      await sessions.disconnect(req.user!.id)
      return ok({ Details: 'Disconnected' })
    },
  )

  app.post(
    '/session/refresh',
    {
      schema: {
        tags,
        security,
        summary: 'Reconnect, then re-sync app state, pre-keys and privacy settings (DIGIGO)',
        body: Type.Optional(RefreshBody),
        response: { 200: RefreshData, ...errorResponses, ...conflict },
      },
    },
    async (req) => {
      const options = {
        sync_app_state: req.body?.sync_app_state ?? true,
        refresh_prekeys: req.body?.refresh_prekeys ?? true,
        refresh_privacy: req.body?.refresh_privacy ?? true,
        auto_recovery: req.body?.auto_recovery ?? true,
      }
      const result = await sessions.refresh(req.user!.id, {
        appState: options.sync_app_state,
        preKeys: options.refresh_prekeys,
        privacy: options.refresh_privacy,
      })
      return toRefreshData(result, options)
    },
  )

  app.post(
    '/session/logout',
    {
      schema: {
        tags,
        security,
        summary: 'Unlink from the phone and forget the credentials',
        response: { 200: Details('Details'), ...errorResponses },
      },
    },
    async (req) => {
      await sessions.logout(req.user!.id)
      return ok({ Details: 'Logged out' })
    },
  )
}

/** `ABCDEFGH` → `ABCD-EFGH`, as the phone shows it. */
const formatCode = (code: string) => (code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code)
