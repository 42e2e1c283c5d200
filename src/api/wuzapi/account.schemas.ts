import { type TSchema, Type } from '@sinclair/typebox'
import { errorResponses } from './envelope.js'

/** Schemas of the account routes: lookups, own profile, privacy and blocklist, proxy. */

const security = [{ ApiKeyAuth: [] }]
export const Str = Type.String()
export const Bool = Type.Boolean()
export const userTags = { tags: ['User'], security }
export const privacyTags = { tags: ['Privacy'], security }
export const presenceConfigTags = { tags: ['Session Presence'], security }
export const proxyTags = { tags: ['Proxy'], security }
export const err = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [c, Type.Ref('WuzapiError')])) as Record<number, TSchema>
/** Errors of routes that need a live session (409 when it is not connected). */
export const live = { ...errorResponses, ...err(409, 422) }

/** One number or several: wuzapi's `Phone` (string or array). */
// The array comes first: Ajv's type coercion inside `anyOf` let `[[]]` through a string-first union.
export const Phones = Type.Union([Type.Array(Type.String({ minLength: 1 })), Type.String({ minLength: 1 })], {
  description: 'Phone numbers (digits), phone JIDs or LIDs: one, or an array',
  'x-aliases': ['phones', 'numbers', 'jids', 'users'],
})
/** `Phones` as a list. */
export const phoneList = (p: string | string[]) => (Array.isArray(p) ? p : [p])
export const PhoneBody = Type.Object({
  Phone: Phones,
})
export const OnePhone = Type.String({
  minLength: 1,
  description: 'A phone number, a phone JID or a LID',
  'x-aliases': ['jid', 'lid', 'number'],
})

export const Checked = Type.Object({
  Query: Str,
  IsInWhatsapp: Bool,
  JID: Type.String({ description: 'The phone JID (the LID when only that is known)' }),
  VerifiedName: Str,
  LID: Type.String({ description: 'Zapwire: the account’s LID ("" when unknown)' }),
})

const VerifiedName = Type.Union([
  Type.Null(),
  Type.Object({
    Certificate: Type.Object({ details: Str, signature: Str }),
    Details: Type.Object({ issuer: Str, serial: Type.Number(), verifiedName: Str }),
  }),
])
const DeviceEntry = Type.Object({ user: Str, agent: Str, device: Str, server: Str, ad: Str, jid: Str })
export const InfoWuzapi = Type.Object({
  Devices: Type.Array(Str),
  PictureID: Str,
  Status: Str,
  VerifiedName,
  LID: Type.String({ description: 'Zapwire: the account’s LID' }),
  IsInWhatsapp: Type.Boolean({ description: 'Zapwire' }),
})
export const InfoDigigo = Type.Object({
  jid: Str,
  status: Str,
  picture_id: Str,
  verified_name: Str,
  business_name: Str,
  lid: Str,
  is_business_account: Bool,
  device_count: Type.Integer(),
  first_device: Str,
  devices: Type.Array(DeviceEntry),
})

export const AvatarFields = {
  Phone: OnePhone,
  Preview: Type.Optional(Type.Boolean({ default: true, description: 'thumbnail (true) or full size' })),
  IsCommunity: Type.Optional(Bool),
  CommonGID: Type.Optional(Type.String({ description: 'a group shared with the user' })),
  InviteCode: Type.Optional(Type.String({ description: 'invite code of a group not joined yet' })),
  PersonaID: Type.Optional(Type.String({ description: 'a Meta AI bot’s persona' })),
}

export const BusinessProfile = Type.Object({
  jid: Str,
  lid: Type.String({ description: 'Zapwire' }),
  email: Str,
  address: Str,
  description: Str,
  categories: Type.Array(Type.Object({ id: Str, name: Str })),
  profile_options: Type.Record(Str, Str),
  business_hours_timezone: Str,
  business_hours: Type.Array(
    Type.Object({
      day_of_week: Str,
      mode: Str,
      open_time: Type.Optional(Str),
      close_time: Type.Optional(Str),
    }),
  ),
})

export const PrivacyView = Type.Object({
  group_add: Str,
  last_seen: Str,
  status: Str,
  profile: Str,
  read_receipts: Str,
  online: Str,
  call_add: Str,
  messages: Type.String({ description: 'Zapwire: who may message this account (WhatsApp’s `messages`)' }),
})
export const SetPrivacy = Type.Object({
  setting: Type.String({
    description: 'group_add, last_seen, status, profile, read_receipts, online, call_add, messages',
    'x-aliases': ['name', 'category'],
  }),
  value: Type.String({
    description:
      'all, contacts, contact_blacklist, none; online: all, match_last_seen; read_receipts: all, none; call_add: all, known',
  }),
  users: Type.Optional(Type.Array(Str, { maxItems: 0, description: 'not supported (must be empty)' })),
})
export const SetPrivacyAnswer = Type.Object({
  code: Type.Integer(),
  success: Bool,
  message: Str,
  setting: Str,
  value: Str,
  data: Type.Object({ setting: Str, value: Str, privacy_settings: PrivacyView }),
})

export const Blocked = {
  blocked_contacts: Type.Array(Str, { description: 'phone JIDs (the LID when no phone is known)' }),
  blocked_lids: Type.Array(Str, { description: 'Zapwire: their LIDs, in the same order' }),
  count: Type.Integer(),
}
export const MiauzapBlocklist = Type.Object({ DHash: Str, JIDs: Type.Array(Str), LIDs: Type.Array(Str) })

export const ProxyView = Type.Object({
  proxy_url: Type.String({ description: 'without credentials; "" when off' }),
  username: Str,
  bypass_list: Type.Array(Str),
  enabled: Type.Boolean({ description: 'Zapwire' }),
})
export const ProxyFields = {
  proxy_url: Type.String({
    description: 'http://, https://, socks5:// or socks4:// host:port; "" turns the proxy off',
  }),
  username: Type.Optional(Str),
  password: Type.Optional(Str),
}
