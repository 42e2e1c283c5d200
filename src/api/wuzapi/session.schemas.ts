import { Type } from '@sinclair/typebox'

export const ConnectBody = Type.Object({
  Subscribe: Type.Optional(
    Type.Union([Type.Array(Type.String()), Type.String()], {
      description: 'Event names to deliver, or "All"',
    }),
  ),
  Immediate: Type.Optional(Type.Boolean({ description: 'false: wait up to 10 s for the connection' })),
})

export const ProxyBody = Type.Object({
  proxy_url: Type.String({
    description: 'http(s)://[user:pass@]host:port or socks5://[user:pass@]host:port',
  }),
  enable: Type.Boolean(),
  bypass: Type.Optional(Type.Array(Type.String(), { description: 'Zapwire: hosts reached directly' })),
})

export const PairPhoneBody = Type.Object({ Phone: Type.String({ 'x-aliases': ['number'], minLength: 1 }) })

export const ConnectData = Type.Object({
  details: Type.String(),
  events: Type.String(),
  jid: Type.String(),
  webhook: Type.String(),
})

const health = ['unknown', 'no_client', 'disconnected', 'connected_not_logged', 'connected']

/** wuzapi's `Connected`/`LoggedIn`, DIGIGO's SessionStatus keys, and Zapwire's truthful state. */
export const StatusData = Type.Object({
  Connected: Type.Boolean(),
  LoggedIn: Type.Boolean(),
  connected: Type.Boolean(),
  loggedIn: Type.Boolean(),
  hasClient: Type.Boolean(),
  connectionHealth: Type.Unsafe<string>({ type: 'string', enum: health }),
  state: Type.String({
    description:
      'Zapwire: disconnected, connecting, qr, connected, reconnecting, logged_out, replaced, banned, outdated, failed',
  }),
  since: Type.String({ format: 'date-time', description: 'Zapwire: when the state began' }),
  lastInboundAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  reconnects: Type.Integer(),
  lastSuccessfulConnect: Type.Integer({ description: 'unix seconds; 0 = never' }),
  autoReconnectErrors: Type.Integer(),
  enableAutoReconnect: Type.Boolean(),
  id: Type.String(),
  name: Type.String(),
  jid: Type.String(),
  lid: Type.String(),
  webhook: Type.String(),
  events: Type.String(),
  expiration: Type.Integer({ description: 'seconds until the user expires; 0 = never' }),
  qrcode: Type.String({ description: 'the QR as a PNG data URL while one is shown' }),
  qrcode_text: Type.String({ description: 'the raw QR string (as DIGIGO /admin/instances/status)' }),
  timestamp: Type.String({ format: 'date-time' }),
})

export const RefreshBody = Type.Object({
  sync_app_state: Type.Optional(Type.Boolean({ default: true })),
  refresh_prekeys: Type.Optional(Type.Boolean({ default: true })),
  refresh_privacy: Type.Optional(Type.Boolean({ default: true })),
  auto_recovery: Type.Optional(Type.Boolean({ default: true })),
})

const SyncOptions = Type.Object({
  sync_app_state: Type.Boolean(),
  refresh_prekeys: Type.Boolean(),
  refresh_privacy: Type.Boolean(),
  auto_recovery: Type.Boolean(),
})

/** DIGIGO's refresh answer (bare, no envelope, as documented). */
export const RefreshData = Type.Object({
  Details: Type.String(),
  refreshSuccess: Type.Boolean(),
  wasConnected: Type.Boolean(),
  wasLoggedIn: Type.Boolean(),
  newConnected: Type.Boolean(),
  newLoggedIn: Type.Boolean(),
  jid: Type.String(),
  sync_options: SyncOptions,
  sync: Type.Object({
    app_state: Type.Array(
      Type.Object({
        name: Type.String(),
        success: Type.Boolean(),
        error: Type.Optional(Type.String()),
        duration: Type.String(),
        recovery_requested: Type.Boolean(),
      }),
    ),
    app_state_success: Type.Boolean(),
    prekeys: Type.Optional(
      Type.Object({
        checked: Type.Boolean(),
        server_count: Type.Integer(),
        upload_triggered: Type.Boolean(),
        error: Type.Optional(Type.String()),
      }),
    ),
    privacy_settings: Type.Optional(
      Type.Object({ fetched: Type.Boolean(), error: Type.Optional(Type.String()) }),
    ),
  }),
  total_duration: Type.String(),
})
