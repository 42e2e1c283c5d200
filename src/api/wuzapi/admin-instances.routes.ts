import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import QRCode from 'qrcode'
import type { Services } from '../../services/index.js'
import { errorResponses } from './envelope.js'
import { toStatusData } from './session.mapper.js'

const security = [{ AdminAuth: [] }]
const Str = Type.String()
const Bool = Type.Boolean()
const Int = Type.Integer()
const health = ['connected', 'connected_not_logged', 'disconnected', 'no_client']

const InstanceStatus = Type.Object({
  id: Str,
  name: Str,
  jid: Str,
  lid: Str,
  qrcode: Type.String({
    description: 'the QR as a PNG data URL while the instance is unpaired ("" otherwise)',
  }),
  qrcode_text: Type.String({ description: 'the raw QR string while unpaired ("" otherwise)' }),
  connected: Bool,
  loggedIn: Bool,
  hasClient: Bool,
  connectionHealth: Type.Unsafe<string>({ type: 'string', enum: health }),
  state: Str,
  lastSuccessfulConnect: Int,
  autoReconnectErrors: Int,
  enableAutoReconnect: Bool,
  source: Type.Unsafe<string>({ type: 'string', enum: ['runtime', 'database'] }),
  timestamp: Type.String({ format: 'date-time' }),
})

/** Zapwire needs no licence: this answers DIGIGO clients that ask, in DIGIGO's shape. */
const LicenseInfo = Type.Object({
  valid: Bool,
  installation_id: Str,
  customer_id: Str,
  installation_name: Str,
  plan_type: Type.Unsafe<string>({ type: 'string', enum: ['BASIC', 'PRO', 'ENTERPRISE'] }),
  expires_at: Type.String({ format: 'date-time' }),
  max_instances: Int,
  license_key: Str,
  instance_id: Str,
  last_validation: Type.String({ format: 'date-time' }),
  days_until_expiry: Int,
  is_in_grace_period: Bool,
  grace_period_end: Type.Optional(Type.String({ format: 'date-time' })),
  status: Type.Unsafe<string>({
    type: 'string',
    enum: ['active', 'expiring_soon', 'grace_period', 'expired'],
  }),
  status_message: Str,
  features: Type.Array(Str),
  support_email: Str,
  documentation_url: Str,
  license_required: Type.Boolean({ description: 'Zapwire: always false' }),
})

/** Far enough ahead that no client warns about expiry. */
const NEVER = '9999-12-31T23:59:59Z'

/** Admin: /admin/instances/status and /admin/license/info. */
export const adminInstancesRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { extras, users } = services

  app.get(
    '/admin/instances/status',
    {
      schema: {
        tags: ['Admin'],
        security,
        summary: 'Connection health of every instance, paginated, with the QR of unpaired ones',
        querystring: Type.Object({
          limit: Type.Optional(Type.String({ description: '1 to 1000 (default 200)' })),
          offset: Type.Optional(Type.String({ description: '0 or more (default 0)' })),
          ids: Type.Optional(Type.String({ description: 'comma-separated instance ids (or serials)' })),
          include_total: Type.Optional(Type.String({ description: 'true: pagination.total is filled' })),
        }),
        response: {
          200: Type.Object({
            code: Int,
            data: Type.Array(InstanceStatus),
            pagination: Type.Object({
              limit: Int,
              offset: Int,
              has_more: Bool,
              next_offset: Type.Union([Int, Type.Null()]),
              total: Type.Optional(Int),
            }),
            success: Type.Literal(true),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => toInstanceList(await extras.instances(req.query), users),
  )

  app.get(
    '/admin/license/info',
    {
      schema: {
        tags: ['Admin License'],
        security,
        summary: 'Licence information (Zapwire needs none: always valid, in DIGIGO’s shape)',
        response: { 200: LicenseInfo, ...errorResponses },
      },
    },
    async (req) => licenseInfo(req.hostname, new Date()),
  )
}

/** The instance page → DIGIGO's list, with each unpaired instance's QR as a PNG data URL. */
async function toInstanceList(
  { items, pagination }: Awaited<ReturnType<Services['extras']['instances']>>,
  users: Services['users'],
) {
  const data = await Promise.all(
    items.map(async ({ user, session }) => {
      const qr = session.qr ? await QRCode.toDataURL(session.qr) : ''
      return toInstanceStatus(
        toStatusData(session, user, users.secondsRemaining(user), qr),
        session.hasClient,
      )
    }),
  )
  return { code: 200, data, pagination, success: true as const }
}

/** DIGIGO's licence answer, saying that none is needed. */
function licenseInfo(hostname: string, now: Date) {
  return {
    valid: true,
    installation_id: 'zapwire',
    customer_id: '',
    installation_name: hostname || 'zapwire',
    plan_type: 'ENTERPRISE',
    expires_at: NEVER,
    max_instances: 0,
    license_key: '',
    instance_id: `zapwire-${process.pid}`,
    last_validation: now.toISOString(),
    days_until_expiry: Math.floor((Date.parse(NEVER) - now.getTime()) / 86_400_000),
    is_in_grace_period: false,
    status: 'active',
    status_message: 'Zapwire is open source: no licence is needed (max_instances 0 = unlimited)',
    features: ['all'],
    support_email: '',
    documentation_url: '',
    license_required: false,
  }
}

/** The status view → one entry of DIGIGO's instance list. */
function toInstanceStatus(s: ReturnType<typeof toStatusData>, hasClient: boolean) {
  return {
    id: s.id,
    name: s.name,
    jid: s.jid,
    lid: s.lid,
    qrcode: s.qrcode,
    qrcode_text: s.qrcode_text,
    connected: s.connected,
    loggedIn: s.loggedIn,
    hasClient: s.hasClient,
    connectionHealth: s.connectionHealth,
    state: s.state,
    lastSuccessfulConnect: s.lastSuccessfulConnect,
    autoReconnectErrors: s.autoReconnectErrors,
    enableAutoReconnect: s.enableAutoReconnect,
    source: hasClient ? 'runtime' : 'database',
    timestamp: s.timestamp,
  }
}
