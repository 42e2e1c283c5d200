import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type TObject, type TSchema, Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { Envelope, errorResponses, ok } from './envelope.js'

const security = [{ ApiKeyAuth: [] }]
const ref = Type.Ref('WuzapiError')
const Str = (options = {}) => Type.String(options)
const Bool = Type.Boolean()
const Int = Type.Integer()
/** The statuses a route on a live session can answer besides 200. */
const responses = (ok200: TSchema, extra: Record<number, TSchema> = {}) => ({
  200: ok200,
  ...errorResponses,
  409: ref,
  422: ref,
  ...extra,
})
const Phone = Str({ minLength: 1, 'x-aliases': ['jid', 'chat_jid', 'chat'] })
const iso = (seconds: number) => new Date(seconds * 1000).toISOString()

const StatusAnswer = Type.Object({
  message_id: Str(),
  timestamp: Str({ format: 'date-time' }),
  status: Type.Literal('sent'),
  type: Str(),
  ptt: Type.Optional(Bool),
  recipients: Type.Optional(Type.Integer({ description: 'how many people it was sent to (Zapwire)' })),
})
const Recipients = Type.Optional(
  Type.Array(Str({ minLength: 1 }), {
    maxItems: 5000,
    description:
      'Zapwire: who may see the status (phones or JIDs); default: everyone in the contact store or with a 1:1 chat',
  }),
)
const StatusId = Type.Optional(Str({ minLength: 1, maxLength: 128, description: 'your own message id' }))

const DeviceList = Type.Object({
  jid: Str(),
  devices: Type.Array(Type.Object({ device_id: Int, platform: Str() })),
})
const UserDevicesBody = Type.Object({
  jids: Type.Array(Str(), { minItems: 1, maxItems: 500, 'x-aliases': ['phones', 'phone', 'Phone'] }),
})
const UserDevicesAnswer = (extra: Record<string, TSchema> = {}) =>
  Type.Object({
    success: Bool,
    devices: Type.Array(DeviceList),
    total_users: Int,
    total_devices: Int,
    ...extra,
  })

const SyncResult = Type.Object({
  name: Str(),
  success: Bool,
  error: Type.Optional(Str()),
  duration: Str(),
  recovery_requested: Bool,
})

const BotProfileView = Type.Object({
  jid: Str(),
  name: Str(),
  description: Str(),
  verified: Bool,
  avatar_url: Str(),
  capabilities: Type.Array(Str()),
  commands: Type.Array(Type.Object({ command: Str(), description: Str() })),
  category: Str(),
  persona_id: Str(),
  prompts: Type.Array(Str()),
})

/** Calls, status posts, labels, business, devices and sync: /call/*, /status/send/*, /label/*, /business/*, /device/*, /sync/*. */
export const extrasRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { extras } = services

  // ── calls ──────────────────────────────────────────────────────────────────────────────────
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

  // ── status posts ───────────────────────────────────────────────────────────────────────────
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
  const posted = (type: string, r: { id: string; timestamp: number; recipients: number }) => ({
    message_id: r.id,
    timestamp: iso(r.timestamp),
    status: 'sent' as const,
    type,
    recipients: r.recipients,
  })

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
    ) =>
      posted(
        'text_status',
        await extras.postStatus(
          userId,
          {
            kind: 'text',
            text: b.text,
            backgroundColor: b.background_color,
            textColor: b.text_color,
            font: b.font,
          },
          b.id,
          b.recipients,
        ),
      ),
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
      async (userId, b: Record<string, string | string[] | undefined>) =>
        posted(
          `${kind}_status`,
          await extras.postStatus(
            userId,
            { kind, source: b[kind] as string, caption: b.caption as string | undefined },
            b.id as string | undefined,
            b.recipients as string[] | undefined,
          ),
        ),
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
    async (userId, b: { audio: string; ptt?: boolean; id?: string; recipients?: string[] }) => ({
      ...posted(
        'audio_status',
        await extras.postStatus(
          userId,
          { kind: 'audio', source: b.audio, ptt: b.ptt ?? false },
          b.id,
          b.recipients,
        ),
      ),
      ptt: b.ptt ?? false,
    }),
  )

  // ── labels ─────────────────────────────────────────────────────────────────────────────────
  const LabelId = Str({ minLength: 1, maxLength: 128, 'x-aliases': ['labelid', 'id'] })
  app.post(
    '/label/manage',
    {
      schema: {
        tags: ['Label'],
        security,
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
      const b = req.body
      const label = await extras.manageLabel(req.user!.id, {
        id: b.label_id,
        name: b.label_name,
        color: b.label_color,
        delete: b.delete,
      })
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
        tags: ['Label'],
        security,
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
      const message = apply ? 'Label applied successfully' : 'Label removed successfully'
      return ok({ success: true, message, jid, label_id, applied: apply })
    },
  )

  app.post(
    '/label/message',
    {
      schema: {
        tags: ['Label'],
        security,
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
      const message = apply ? 'Label applied successfully' : 'Label removed successfully'
      return ok({ success: true, message, jid, message_id, label_id, applied: apply })
    },
  )

  // ── business ───────────────────────────────────────────────────────────────────────────────
  app.post(
    '/business/resolve-link',
    {
      schema: {
        tags: ['Business'],
        security,
        summary: 'Resolve a business message link (wa.me/message/<code>)',
        body: Type.Object({ business_link: Str({ minLength: 1, 'x-aliases': ['link', 'code'] }) }),
        response: responses(
          Type.Object({
            success: Bool,
            business_link: Str(),
            business_jid: Str(),
            business_name: Str(),
            verified: Bool,
            category: Str(),
            description: Str(),
            website: Str(),
            email: Str(),
            address: Str(),
            push_name: Str(),
            message: Str({ description: 'the text the link pre-fills' }),
          }),
          { 404: ref },
        ),
      },
    },
    async (req) => {
      const r = await extras.resolveBusinessLink(req.user!.id, req.body.business_link)
      return {
        success: true,
        business_link: req.body.business_link,
        business_jid: r.jid,
        business_name: r.verifiedName || r.pushName,
        verified: r.signed,
        category: r.business?.category ?? '',
        description: r.business?.description ?? '',
        website: r.business?.website[0] ?? '',
        email: r.business?.email ?? '',
        address: r.business?.address ?? '',
        push_name: r.pushName,
        message: r.message,
      }
    },
  )

  app.post(
    '/business/contact-qr',
    {
      schema: {
        tags: ['Business'],
        security,
        summary: 'Your contact QR link (https://wa.me/qr/<code>); `revoke` makes a new one',
        body: Type.Object({ phone: Str({ minLength: 1 }), revoke: Type.Optional(Bool) }),
        response: responses(
          Type.Object({ success: Bool, phone: Str(), qr_link: Str(), revoked_previous: Bool }),
        ),
      },
    },
    async (req) => {
      const revoke = req.body.revoke ?? false
      const qr_link = await extras.contactQr(req.user!.id, revoke)
      return { success: true, phone: req.body.phone, qr_link, revoked_previous: revoke }
    },
  )

  app.get(
    '/business/bots',
    {
      schema: {
        tags: ['Business'],
        security,
        summary: 'The AI bots WhatsApp offers this account',
        response: responses(
          Type.Object({
            success: Bool,
            bots: Type.Array(
              Type.Object({ jid: Str(), name: Str(), description: Str(), verified: Bool, persona_id: Str() }),
            ),
            count: Int,
          }),
        ),
      },
    },
    async (req) => {
      const bots = (await extras.bots(req.user!.id)).map((b) => ({
        jid: b.jid,
        name: b.name,
        description: b.description,
        verified: true,
        persona_id: b.personaId,
      }))
      return { success: true, bots, count: bots.length }
    },
  )

  app.post(
    '/business/bot-profiles',
    {
      schema: {
        tags: ['Business'],
        security,
        summary: 'Profiles of bots (name, description, commands)',
        body: Type.Object({
          bot_jids: Type.Array(Str({ minLength: 1 }), { minItems: 1, maxItems: 100, 'x-aliases': ['jids'] }),
        }),
        response: responses(Type.Object({ success: Bool, profiles: Type.Array(BotProfileView), count: Int })),
      },
    },
    async (req) => {
      const profiles = (await extras.botProfiles(req.user!.id, req.body.bot_jids)).map((p) => ({
        jid: p.jid,
        name: p.name,
        description: p.description,
        verified: true,
        avatar_url: '',
        capabilities: p.attributes
          ? p.attributes
              .split(',')
              .map((a) => a.trim())
              .filter(Boolean)
          : [],
        commands: p.commands.map((c) => ({ command: c.name, description: c.description })),
        category: p.category,
        persona_id: p.personaId,
        prompts: p.prompts,
      }))
      return { success: true, profiles, count: profiles.length }
    },
  )

  app.post(
    '/business/order/send',
    {
      schema: {
        tags: ['Business'],
        security,
        summary: 'Send an order message',
        body: Type.Object({
          phone: Phone,
          items: Type.Array(
            Type.Object({
              name: Str({ minLength: 1, maxLength: 256 }),
              quantity: Type.Integer({ minimum: 1, maximum: 100000 }),
              price: Type.Number({ minimum: 0 }),
              currency: Type.Optional(Str({ pattern: '^[A-Za-z]{3}$' })),
              image_url: Type.Optional(Str()),
            }),
            { minItems: 1, maxItems: 100 },
          ),
          notes: Type.Optional(Str({ maxLength: 1024 })),
        }),
        response: responses(
          Type.Object({
            success: Bool,
            message: Str(),
            phone: Str(),
            order_id: Str(),
            items_count: Int,
            total_amount: Type.Number(),
            message_id: Str(),
          }),
        ),
      },
    },
    async (req) => {
      const items = req.body.items.map((i) => ({ ...i, imageUrl: i.image_url }))
      const r = await extras.sendOrder(req.user!.id, req.body.phone, items, req.body.notes)
      return {
        success: true,
        message: 'Order message sent successfully',
        phone: req.body.phone,
        order_id: r.orderId,
        items_count: r.itemsCount,
        total_amount: r.total,
        message_id: r.id,
      }
    },
  )

  // ── devices ────────────────────────────────────────────────────────────────────────────────
  const devicesAnswer = (list: Awaited<ReturnType<typeof extras.userDevices>>) => ({
    success: true,
    devices: list.map((u) => ({
      jid: u.jid,
      devices: u.devices.map((d) => ({ device_id: d.deviceId, platform: d.platform })),
    })),
    total_users: list.length,
    total_devices: list.reduce((n, u) => n + u.devices.length, 0),
  })
  app.post(
    '/device/users',
    {
      schema: {
        tags: ['Device'],
        security,
        summary: 'The devices of users (0 is the phone)',
        body: UserDevicesBody,
        response: responses(UserDevicesAnswer()),
      },
    },
    async (req) => devicesAnswer(await extras.userDevices(req.user!.id, req.body.jids)),
  )
  app.post(
    '/device/users/context',
    {
      schema: {
        tags: ['Device'],
        security,
        summary: 'The devices of users, or 408 when WhatsApp does not answer within 10 s',
        body: UserDevicesBody,
        response: responses(UserDevicesAnswer({ timeout_used: Bool }), { 408: ref }),
      },
    },
    async (req) => ({
      ...devicesAnswer(await extras.userDevicesWithin(req.user!.id, req.body.jids)),
      timeout_used: false,
    }),
  )
  app.get(
    '/device/linked',
    {
      schema: {
        tags: ['Device'],
        security,
        summary: 'The devices linked to your account (this one is `connected`)',
        response: responses(
          Type.Object({
            success: Bool,
            linked_devices: Type.Array(Type.Object({ device_id: Int, platform: Str(), connected: Bool })),
            count: Int,
          }),
        ),
      },
    },
    async (req) => {
      const list = await extras.linkedDevices(req.user!.id)
      const linked_devices = list.map((d) => ({
        device_id: d.deviceId,
        platform: d.platform,
        connected: d.connected,
      }))
      return { success: true, linked_devices, count: linked_devices.length }
    },
  )
  app.post(
    '/device/platform',
    {
      schema: {
        tags: ['Device'],
        security,
        summary: 'The platform name of a device number (0: the phone)',
        body: Type.Object({
          device_id: Type.Integer({ minimum: 0, maximum: 65535, 'x-aliases': ['device'] }),
        }),
        response: { 200: Type.Object({ success: Bool, device_id: Int, platform: Str() }), ...errorResponses },
      },
    },
    async (req) => ({
      success: true,
      device_id: req.body.device_id,
      platform: extras.devicePlatform(req.body.device_id),
    }),
  )

  // ── sync ───────────────────────────────────────────────────────────────────────────────────
  app.post(
    '/sync/app-state',
    {
      schema: {
        tags: ['Sync'],
        security,
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
      return {
        success,
        message: success
          ? `App state synchronized successfully. All ${results.length} patch types updated.`
          : 'App state synchronized with errors',
        results: results.map((r) => ({
          name: r.name,
          success: r.success,
          ...(r.error ? { error: r.error } : {}),
          duration: `${(r.durationMs / 1000).toFixed(3)}s`,
          recovery_requested: false,
        })),
        auto_recovery_enabled: req.body?.auto_recovery ?? true,
      }
    },
  )

  app.post(
    '/sync/history-request',
    {
      schema: {
        tags: ['Sync'],
        security,
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
      return {
        success: true,
        message:
          'History sync request sent successfully. History will arrive asynchronously via HistorySync events (webhook/websocket).',
        request_id: r.requestId,
        chat: r.chat,
        count: r.count,
      }
    },
  )

  app.post(
    '/sync/full-history',
    {
      schema: {
        tags: ['Sync'],
        security,
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
          Type.Object({
            success: Bool,
            message: Str(),
            request_id: Str(),
            config: Type.Object({
              days_limit: Int,
              size_mb_limit: Int,
              include_groups: Bool,
              include_calls: Bool,
            }),
          }),
        ),
      },
    },
    async (req) => {
      const b = req.body ?? {}
      const config = {
        daysLimit: b.days_limit ?? 30,
        sizeMbLimit: b.size_mb_limit ?? 1000,
        includeGroups: b.include_groups ?? true,
        includeCalls: b.include_calls ?? false,
      }
      const r = await extras.requestFullHistory(req.user!.id, config)
      return {
        success: true,
        message:
          'Full history sync requested successfully. History will arrive asynchronously via HistorySync events (webhook/websocket).',
        request_id: r.requestId,
        config: {
          days_limit: config.daysLimit,
          size_mb_limit: config.sizeMbLimit,
          include_groups: config.includeGroups,
          include_calls: config.includeCalls,
        },
      }
    },
  )
}
