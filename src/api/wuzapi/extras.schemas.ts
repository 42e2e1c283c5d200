import { type TSchema, Type } from '@sinclair/typebox'
import { errorResponses } from './envelope.js'

/** Schemas of calls, status posts, labels, business, devices and sync. */

export const security = [{ ApiKeyAuth: [] }]
export const ref = Type.Ref('WuzapiError')
export const Str = (options = {}) => Type.String(options)
export const Bool = Type.Boolean()
export const Int = Type.Integer()
/** The statuses a route on a live session can answer besides 200. */
export const responses = (ok200: TSchema, extra: Record<number, TSchema> = {}) => ({
  200: ok200,
  ...errorResponses,
  409: ref,
  422: ref,
  ...extra,
})
export const Phone = Str({ minLength: 1, 'x-aliases': ['jid', 'chat_jid', 'chat'] })

export const StatusAnswer = Type.Object({
  message_id: Str(),
  timestamp: Str({ format: 'date-time' }),
  status: Type.Literal('sent'),
  type: Str(),
  ptt: Type.Optional(Bool),
  recipients: Type.Optional(Type.Integer({ description: 'how many people it was sent to (Zapwire)' })),
})
export const Recipients = Type.Optional(
  Type.Array(Str({ minLength: 1 }), {
    maxItems: 5000,
    description:
      'Zapwire: who may see the status (phones or JIDs); default: everyone in the contact store or with a 1:1 chat',
  }),
)
export const StatusId = Type.Optional(
  Str({ minLength: 1, maxLength: 128, description: 'your own message id' }),
)

export const LabelId = Str({ minLength: 1, maxLength: 128, 'x-aliases': ['labelid', 'id'] })

export const ResolvedLink = Type.Object({
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
})
export const BotView = Type.Object({
  jid: Str(),
  name: Str(),
  description: Str(),
  verified: Bool,
  persona_id: Str(),
})
export const BotProfileView = Type.Object({
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
export const OrderBody = Type.Object({
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
})
export const OrderAnswer = Type.Object({
  success: Bool,
  message: Str(),
  phone: Str(),
  order_id: Str(),
  items_count: Int,
  total_amount: Type.Number(),
  message_id: Str(),
})

const DeviceList = Type.Object({
  jid: Str(),
  devices: Type.Array(Type.Object({ device_id: Int, platform: Str() })),
})
export const UserDevicesBody = Type.Object({
  jids: Type.Array(Str(), { minItems: 1, maxItems: 500, 'x-aliases': ['phones', 'phone', 'Phone'] }),
})
export const UserDevicesAnswer = (extra: Record<string, TSchema> = {}) =>
  Type.Object({
    success: Bool,
    devices: Type.Array(DeviceList),
    total_users: Int,
    total_devices: Int,
    ...extra,
  })

export const SyncResult = Type.Object({
  name: Str(),
  success: Bool,
  error: Type.Optional(Str()),
  duration: Str(),
  recovery_requested: Bool,
})
export const FullHistoryConfig = Type.Object({
  days_limit: Int,
  size_mb_limit: Int,
  include_groups: Bool,
  include_calls: Bool,
})
