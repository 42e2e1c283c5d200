import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type TSchema, Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { Envelope, errorResponses, ok } from './envelope.js'

const security = [{ ApiKeyAuth: [] }]
const Str = Type.String()
const Bool = Type.Boolean()
const user = { tags: ['User'], security }
const privacyTags = { tags: ['Privacy'], security }
const err = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [c, Type.Ref('WuzapiError')])) as Record<number, TSchema>
/** Errors of routes that need a live session (409 when it is not connected). */
const live = { ...errorResponses, ...err(409, 422) }

/** One number or several: wuzapi's `Phone` (string or array). */
const Phones = Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }))], {
  description: 'Phone numbers (digits), phone JIDs or LIDs: one, or an array',
  'x-aliases': ['phones', 'numbers', 'jids', 'users'],
})
const list = (p: string | string[]) => (Array.isArray(p) ? p : [p])
const PhoneBody = Type.Object({
  Phone: Phones,
})
const OnePhone = Type.String({
  minLength: 1,
  description: 'A phone number, a phone JID or a LID',
  'x-aliases': ['jid', 'lid', 'number'],
})

const Checked = Type.Object({
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
const InfoWuzapi = Type.Object({
  Devices: Type.Array(Str),
  PictureID: Str,
  Status: Str,
  VerifiedName,
  LID: Type.String({ description: 'Zapwire: the account’s LID' }),
  IsInWhatsapp: Type.Boolean({ description: 'Zapwire' }),
})
const InfoDigigo = Type.Object({
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

const PrivacyView = Type.Object({
  group_add: Str,
  last_seen: Str,
  status: Str,
  profile: Str,
  read_receipts: Str,
  online: Str,
  call_add: Str,
  messages: Type.String({ description: 'Zapwire: who may message this account (WhatsApp’s `messages`)' }),
})

/** A device JID `user[:device]@server` → DIGIGO's device entry. */
function deviceEntry(jid: string) {
  const [address = '', server = ''] = jid.split('@')
  const [userPart = '', device = '0'] = address.split(':')
  return {
    user: userPart,
    agent: '0',
    device: 'UNKNOWN',
    server,
    ad: `${userPart}.0:${device}@${server}`,
    jid,
  }
}

const hhmm = (minutes: number | undefined) =>
  minutes === undefined
    ? undefined
    : `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`

/** The account, contacts, privacy and blocklist: /user/* (the rest), /privacy/*, /blocklist*, /session/presence/config, Miauzap's /proxy/*. */
export const accountRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const account = services.account

  app.post(
    '/user/check',
    {
      schema: {
        ...user,
        summary: 'Which of these numbers are on WhatsApp, with phone JID and LID (rate limited)',
        body: PhoneBody,
        response: { 200: Envelope(Type.Object({ Users: Type.Array(Checked) })), ...live, ...err(429) },
      },
    },
    async (req) => {
      const checked = await account.check(req.user!.id, list(req.body.Phone))
      return ok({
        Users: checked.map((c) => ({
          Query: c.query,
          IsInWhatsapp: c.exists,
          JID: c.jid,
          VerifiedName: c.verifiedName,
          LID: c.lid,
        })),
      })
    },
  )

  app.post(
    '/user/info',
    {
      schema: {
        ...user,
        summary: 'About text, picture id, devices, verified name and LID of users (rate limited)',
        body: PhoneBody,
        response: {
          200: Envelope(
            Type.Object({
              Users: Type.Record(Str, InfoWuzapi, { description: 'wuzapi: by phone JID' }),
              users: Type.Record(Str, InfoDigigo, { description: 'DIGIGO: by phone JID' }),
            }),
          ),
          ...live,
          ...err(429),
        },
      },
    },
    async (req) => {
      const infos = await account.info(req.user!.id, list(req.body.Phone))
      const Users: Record<string, typeof InfoWuzapi.static> = {}
      const users: Record<string, typeof InfoDigigo.static> = {}
      for (const i of infos) {
        const pictureId = i.picture ? (i.picture.directPath.split('/').pop()?.split('?')[0] ?? '') : ''
        Users[i.jid] = {
          Devices: i.devices,
          PictureID: pictureId,
          Status: i.about?.text ?? '',
          VerifiedName: null,
          LID: i.lid,
          IsInWhatsapp: i.exists,
        }
        users[i.jid] = {
          jid: i.jid,
          status: i.about?.text ?? '',
          picture_id: pictureId,
          verified_name: i.verifiedName,
          business_name: '',
          lid: i.lid,
          is_business_account: i.business !== undefined,
          device_count: i.devices.length,
          first_device: i.devices[0] ?? '',
          devices: i.devices.map(deviceEntry),
        }
      }
      return ok({ Users, users })
    },
  )

  app.post(
    '/user/devices',
    {
      schema: {
        ...user,
        summary: 'The devices of users (Miauzap; rate limited like /user/check)',
        body: Type.Object({ phones: Phones }),
        response: {
          200: Envelope(
            Type.Record(
              Str,
              Type.Object({ devices: Type.Array(Str), lid: Type.String({ description: 'Zapwire' }) }),
            ),
          ),
          ...live,
          ...err(429),
        },
      },
    },
    async (req) => {
      const found = await account.devices(req.user!.id, list(req.body.phones))
      return ok(Object.fromEntries(found.map((f) => [f.pn || f.lid, { devices: f.devices, lid: f.lid }])))
    },
  )

  const AvatarFields = {
    Phone: OnePhone,
    Preview: Type.Optional(Type.Boolean({ default: true, description: 'thumbnail (true) or full size' })),
    IsCommunity: Type.Optional(Bool),
    CommonGID: Type.Optional(Type.String({ description: 'a group shared with the user' })),
    InviteCode: Type.Optional(Type.String({ description: 'invite code of a group not joined yet' })),
    PersonaID: Type.Optional(Type.String({ description: 'a Meta AI bot’s persona' })),
  }
  const avatarOf = (
    userId: string,
    q: { Phone: string; Preview?: boolean; CommonGID?: string; InviteCode?: string; PersonaID?: string },
  ) =>
    account.avatar(userId, q.Phone, q.Preview ?? true, {
      commonGroup: q.CommonGID || undefined,
      inviteCode: q.InviteCode || undefined,
      personaId: q.PersonaID || undefined,
    })

  app.get(
    '/user/avatar',
    {
      schema: {
        ...user,
        summary:
          'Profile picture of a user or group (wuzapi: a bare object; Phone and Preview in the query or a JSON body)',
        querystring: Type.Object(AvatarFields),
        response: {
          200: Type.Object({ URL: Str, ID: Str, Type: Str, DirectPath: Str }),
          ...live,
          ...err(403, 404),
        },
      },
    },
    async (req) => {
      const p = await avatarOf(req.user!.id, req.query)
      return { URL: p.url, ID: p.id, Type: p.type, DirectPath: p.directPath }
    },
  )

  app.post(
    '/user/avatar',
    {
      schema: {
        ...user,
        summary: 'Profile picture of a user or group',
        body: Type.Object(AvatarFields),
        response: {
          200: Envelope(Type.Object({ url: Str, id: Str, type: Str, direct_path: Str })),
          ...live,
          ...err(403, 404),
        },
      },
    },
    async (req) => {
      const p = await avatarOf(req.user!.id, req.body)
      return ok({ url: p.url, id: p.id, type: p.type, direct_path: p.directPath })
    },
  )

  app.post(
    '/user/presence',
    {
      schema: {
        ...user,
        summary:
          'Global presence (available/unavailable), or (Zapwire) subscribe to a user’s presence: Presence events follow',
        body: Type.Object({
          type: Type.String({
            description: 'available, unavailable, or subscribe (with phone)',
            'x-aliases': ['presence', 'state'],
          }),
          phone: Type.Optional(
            Type.String({ description: 'subscribe: whose presence', 'x-aliases': ['jid', 'to'] }),
          ),
        }),
        response: { 200: Envelope(Type.Object({ Details: Str })), ...live },
      },
    },
    async (req) => {
      const done = await account.setPresence(req.user!.id, req.body.type, req.body.phone)
      return ok({
        Details:
          done.type === 'subscribe' ? `Subscribed to ${done.jid}’s presence` : 'Presence set successfuly',
      })
    },
  )

  app.post(
    '/user/pushname',
    {
      schema: {
        ...user,
        summary: 'Change the push name (an app-state patch: needs the phone’s app-state key)',
        body: Type.Object({ push_name: Type.String({ 'x-aliases': ['name'] }) }),
        response: { 200: Envelope(Type.Object({ success: Bool, message: Str, push_name: Str })), ...live },
      },
    },
    async (req) => {
      const name = await account.setPushName(req.user!.id, req.body.push_name)
      return ok({ success: true, message: 'Push name updated successfully', push_name: name })
    },
  )

  app.get(
    '/user/status',
    {
      schema: {
        ...user,
        summary: 'Your own "about" text, as WhatsApp has it',
        response: { 200: Envelope(Type.Object({ status: Str })), ...live },
      },
    },
    async (req) => ok({ status: await account.ownAbout(req.user!.id) }),
  )

  app.post(
    '/user/status',
    {
      schema: {
        ...user,
        summary: 'Set your "about" text (at most 139 characters)',
        body: Type.Object({ status: Type.String({ 'x-aliases': ['about', 'text', 'body'] }) }),
        response: { 200: Envelope(Type.Object({ success: Bool, message: Str, status: Str })), ...live },
      },
    },
    async (req) => {
      const status = await account.setAbout(req.user!.id, req.body.status)
      return ok({ success: true, message: 'Status updated successfully', status })
    },
  )

  app.post(
    '/user/photo',
    {
      schema: {
        ...user,
        summary: 'Set your profile photo (JPEG: data URL, base64 or http(s) URL)',
        body: Type.Object({ Image: Type.String({ minLength: 1, 'x-aliases': ['photo', 'url'] }) }),
        response: { 200: Envelope(Type.Object({ Details: Str, PictureID: Str })), ...live },
      },
    },
    async (req) => {
      const id = await account.setPhoto(req.user!.id, req.body.Image)
      return ok({ Details: 'Profile photo set successfully', PictureID: id })
    },
  )

  app.post(
    '/user/photo/remove',
    {
      schema: {
        ...user,
        summary: 'Remove your profile photo',
        response: { 200: Envelope(Type.Object({ Details: Str })), ...live },
      },
    },
    async (req) => {
      await account.removePhoto(req.user!.id)
      return ok({ Details: 'Profile photo removed successfully' })
    },
  )

  app.post(
    '/user/contact/add',
    {
      schema: {
        ...user,
        summary: 'Save or rename a contact in the address book (app-state patch, synced to the phone)',
        body: Type.Object({
          phone: Type.String({ 'x-aliases': ['jid', 'number'] }),
          full_name: Type.String({ 'x-aliases': ['name', 'fullname'] }),
        }),
        response: {
          200: Envelope(Type.Object({ success: Bool, message: Str, phone: Str, full_name: Str })),
          ...live,
          ...err(404),
        },
      },
    },
    async (req) => {
      const saved = await account.saveContact(req.user!.id, req.body.phone, req.body.full_name)
      return ok({
        success: true,
        message: 'Contact added successfully',
        phone: saved.phone,
        full_name: saved.fullName,
      })
    },
  )

  app.post(
    '/user/contact/remove',
    {
      schema: {
        ...user,
        summary: 'Remove a contact from the address book (app-state patch; the chat stays)',
        body: Type.Object({ phone: Type.String({ 'x-aliases': ['jid', 'number'] }) }),
        response: {
          200: Envelope(Type.Object({ success: Bool, message: Str, phone: Str })),
          ...live,
          ...err(404),
        },
      },
    },
    async (req) => {
      const removed = await account.removeContact(req.user!.id, req.body.phone)
      return ok({ success: true, message: 'Contact removed successfully', phone: removed.phone })
    },
  )

  app.post(
    '/user/business/profile',
    {
      schema: {
        ...user,
        summary: 'The business profile of a WhatsApp Business account (404 for personal accounts)',
        body: Type.Object({ phone: OnePhone }),
        response: {
          200: Envelope(
            Type.Object({
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
            }),
          ),
          ...live,
          ...err(404, 429),
        },
      },
    },
    async (req) => {
      const b = await account.businessProfile(req.user!.id, req.body.phone)
      return ok({
        jid: b.jid,
        lid: b.lid,
        email: b.email,
        address: b.address,
        description: b.description,
        categories: b.category ? [{ id: b.category, name: b.category }] : [],
        profile_options: {
          ...(b.website[0] ? { website: b.website[0] } : {}),
          ...(b.description ? { about: b.description } : {}),
        },
        business_hours_timezone: b.timezone,
        business_hours: b.hours.map((h) => ({
          day_of_week: h.day.toUpperCase(),
          mode: h.mode.toUpperCase(),
          ...(h.openTime !== undefined ? { open_time: hhmm(h.openTime) } : {}),
          ...(h.closeTime !== undefined ? { close_time: hhmm(h.closeTime) } : {}),
        })),
      })
    },
  )

  app.get(
    '/user/privacy/settings',
    {
      schema: {
        ...user,
        summary: 'Your privacy settings, as WhatsApp has them',
        response: { 200: Envelope(PrivacyView), ...live },
      },
    },
    async (req) => ok(await account.privacy(req.user!.id)),
  )

  app.get(
    '/privacy/settings',
    {
      schema: {
        ...privacyTags,
        summary: 'Your privacy settings (DIGIGO’s flat answer, also enveloped in data)',
        response: {
          200: Type.Object({
            code: Type.Integer(),
            success: Bool,
            privacy_settings: PrivacyView,
            data: PrivacyView,
          }),
          ...live,
        },
      },
    },
    async (req) => {
      const settings = await account.privacy(req.user!.id)
      return { code: 200, success: true, privacy_settings: settings, data: settings }
    },
  )

  const SetPrivacy = Type.Object({
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
  const SetPrivacyAnswer = Type.Object({
    code: Type.Integer(),
    success: Bool,
    message: Str,
    setting: Str,
    value: Str,
    data: Type.Object({ setting: Str, value: Str, privacy_settings: PrivacyView }),
  })
  app.post(
    '/privacy/settings',
    {
      schema: {
        ...privacyTags,
        summary: 'Change one privacy setting',
        body: SetPrivacy,
        response: { 200: SetPrivacyAnswer, ...live },
      },
    },
    async (req) => {
      const r = await account.setPrivacy(req.user!.id, req.body.setting, req.body.value)
      return {
        code: 200,
        success: true,
        message: `Privacy setting ${r.setting} updated to ${r.value}`,
        setting: r.setting,
        value: r.value,
        data: { setting: r.setting, value: r.value, privacy_settings: r.settings },
      }
    },
  )

  app.post(
    '/privacy/disappearing-timer',
    {
      schema: {
        ...privacyTags,
        summary: 'Default disappearing timer for new chats: 24h, 7d, 90d or off',
        body: Type.Object({ timer: Type.String({ 'x-aliases': ['duration'] }) }),
        response: {
          200: Type.Object({
            code: Type.Integer(),
            success: Bool,
            message: Str,
            timer: Str,
            seconds: Type.Integer({ description: 'Zapwire' }),
          }),
          ...live,
        },
      },
    },
    async (req) => {
      const r = await account.setDisappearingTimer(req.user!.id, req.body.timer)
      return {
        code: 200,
        success: true,
        message: `Default disappearing timer set to ${r.timer}`,
        timer: r.timer,
        seconds: r.seconds,
      }
    },
  )

  app.get(
    '/privacy/status',
    {
      schema: {
        ...privacyTags,
        summary: 'Who sees your status updates',
        response: {
          200: Type.Object({ code: Type.Integer(), success: Bool, status_privacy: Str, description: Str }),
          ...live,
        },
      },
    },
    async (req) => {
      const settings = await account.privacy(req.user!.id)
      return {
        code: 200,
        success: true,
        status_privacy: settings.status,
        description: 'Status privacy setting (all, contacts, contact_blacklist, or none)',
      }
    },
  )

  const Blocked = {
    blocked_contacts: Type.Array(Str, { description: 'phone JIDs (the LID when no phone is known)' }),
    blocked_lids: Type.Array(Str, { description: 'Zapwire: their LIDs, in the same order' }),
    count: Type.Integer(),
  }
  app.get(
    '/privacy/blocklist',
    {
      schema: {
        ...privacyTags,
        summary: 'The accounts you blocked',
        response: { 200: Type.Object({ code: Type.Integer(), success: Bool, ...Blocked }), ...live },
      },
    },
    async (req) => {
      const list = await account.blocklist(req.user!.id)
      return {
        code: 200,
        success: true,
        blocked_contacts: list.map((b) => b.pn || b.lid),
        blocked_lids: list.map((b) => b.lid),
        count: list.length,
      }
    },
  )

  app.post(
    '/privacy/blocklist',
    {
      schema: {
        ...privacyTags,
        summary: 'Block or unblock accounts (phone numbers, JIDs or LIDs)',
        body: Type.Object({
          action: Type.Union([Type.Literal('block'), Type.Literal('unblock')]),
          users: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 100 }),
        }),
        response: {
          200: Type.Object({
            code: Type.Integer(),
            success: Bool,
            message: Str,
            action: Str,
            users: Type.Array(Str),
            jids: Type.Array(Type.Object({ jid: Str, lid: Str }), { description: 'Zapwire' }),
          }),
          ...live,
        },
      },
    },
    async (req) => {
      const r = await account.updateBlocklist(req.user!.id, req.body.action, req.body.users)
      return {
        code: 200,
        success: true,
        message: `Successfully ${r.action}ed ${r.users.length} contact(s)`,
        action: r.action,
        users: req.body.users,
        jids: r.users.map((u) => ({ jid: u.pn || u.lid, lid: u.lid })),
      }
    },
  )

  const MiauzapBlocklist = Type.Object({ DHash: Str, JIDs: Type.Array(Str), LIDs: Type.Array(Str) })
  app.get(
    '/blocklist',
    {
      schema: {
        ...privacyTags,
        summary: 'The accounts you blocked (Miauzap)',
        response: { 200: Envelope(MiauzapBlocklist), ...live },
      },
    },
    async (req) => {
      const list = await account.blocklist(req.user!.id)
      return ok({ DHash: '', JIDs: list.map((b) => b.pn || b.lid), LIDs: list.map((b) => b.lid) })
    },
  )

  app.post(
    '/blocklist/update',
    {
      schema: {
        ...privacyTags,
        summary: 'Block or unblock one account (Miauzap)',
        body: Type.Object({
          Phone: OnePhone,
          Action: Type.Union([Type.Literal('block'), Type.Literal('unblock')], { 'x-aliases': ['type'] }),
        }),
        response: {
          200: Envelope(Type.Object({ Details: Str, JID: Str, LID: Str, Action: Str })),
          ...live,
        },
      },
    },
    async (req) => {
      const r = await account.updateBlocklist(req.user!.id, req.body.Action, [req.body.Phone])
      const who = r.users[0]!
      return ok({
        Details: r.action === 'block' ? 'Blocked' : 'Unblocked',
        JID: who.pn || who.lid,
        LID: who.lid,
        Action: r.action,
      })
    },
  )

  const presenceConfig = { tags: ['Session Presence'], security }
  app.post(
    '/session/presence/config',
    {
      schema: {
        ...presenceConfig,
        summary:
          'AutoPresenceUnavailable (stored; Zapwire never announces itself available on connect, so the phone keeps its notifications either way)',
        body: Type.Object({ enabled: Bool }),
        response: {
          200: Envelope(Type.Object({ Details: Str, AutoPresenceUnavailable: Bool })),
          ...errorResponses,
        },
      },
    },
    async (req) =>
      ok({
        Details: 'Auto presence unavailable configuration updated successfully',
        AutoPresenceUnavailable: await account.presenceConfig(req.user!.id, req.body.enabled),
      }),
  )

  app.get(
    '/session/presence/config',
    {
      schema: {
        ...presenceConfig,
        summary: 'Whether AutoPresenceUnavailable is on',
        response: {
          200: Envelope(Type.Object({ AutoPresenceUnavailable: Bool, Details: Str })),
          ...errorResponses,
        },
      },
    },
    async (req) =>
      ok({
        AutoPresenceUnavailable: await account.presenceConfig(req.user!.id),
        Details: 'Auto presence unavailable configuration retrieved successfully',
      }),
  )

  const proxyTags = { tags: ['Proxy'], security }
  const ProxyView = Type.Object({
    proxy_url: Type.String({ description: 'without credentials; "" when off' }),
    username: Str,
    bypass_list: Type.Array(Str),
    enabled: Type.Boolean({ description: 'Zapwire' }),
  })
  const ProxyFields = {
    proxy_url: Type.String({
      description: 'http://, https://, socks5:// or socks4:// host:port; "" turns the proxy off',
    }),
    username: Type.Optional(Str),
    password: Type.Optional(Str),
  }
  const proxyView = (p: Awaited<ReturnType<typeof account.proxyConfig>>) => ({
    proxy_url: p.proxyUrl,
    username: p.username,
    bypass_list: p.bypass,
    enabled: p.enabled,
  })
  app.get(
    '/proxy/config',
    {
      schema: {
        ...proxyTags,
        summary: 'Your proxy for WhatsApp connections (Miauzap; password never shown)',
        response: { 200: Envelope(ProxyView), ...errorResponses },
      },
    },
    async (req) => ok(proxyView(await account.proxyConfig(req.user!.id))),
  )

  app.put(
    '/proxy/config',
    {
      schema: {
        ...proxyTags,
        summary: 'Set your proxy for WhatsApp connections (used from the next connect)',
        body: Type.Object({
          ...ProxyFields,
          bypass_list: Type.Optional(
            Type.Array(Str, { description: 'hosts reached directly', 'x-aliases': ['bypass'] }),
          ),
        }),
        response: {
          200: Envelope(Type.Object({ message: Str, ...ProxyView.properties })),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const saved = await account.setProxyConfig(req.user!.id, {
        proxyUrl: req.body.proxy_url,
        username: req.body.username,
        password: req.body.password,
        bypass: req.body.bypass_list,
      })
      return ok({ message: 'Proxy configuration saved successfully', ...proxyView(saved) })
    },
  )

  app.post(
    '/proxy/test',
    {
      schema: {
        ...proxyTags,
        summary:
          'Reach WhatsApp’s chat host (the test network’s in tests) through the proxy given; stores nothing',
        body: Type.Object(ProxyFields),
        response: {
          200: Envelope(
            Type.Object({
              message: Str,
              response_time: Str,
              target: Type.String({ description: 'Zapwire' }),
            }),
          ),
          ...errorResponses,
          ...err(503),
        },
      },
    },
    async (req) => {
      const r = await account.testProxy({
        proxyUrl: req.body.proxy_url,
        username: req.body.username,
        password: req.body.password,
      })
      return ok({
        message: 'Proxy connection test successful',
        response_time: `${r.responseTimeMs}ms`,
        target: r.target,
      })
    },
  )
}
