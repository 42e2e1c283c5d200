import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { chatOf, presenceOf, revokable, senderOf } from '../src/api/megaapi/chat.mapper.js'
import { adminOnly } from '../src/api/megaapi/group.mapper.js'
import { quotedOf } from '../src/api/megaapi/send.mapper.js'
import type { ZapEvent } from '../src/events/event.js'
import { megaapiMessageType, megaapiWebhookPayload } from '../src/events/formats/megaapi.js'
import type { GroupInfo } from '../src/services/groups.service.js'
import { createUser, useApp } from './helpers/app.js'

// Fast checks with no linked session: auth between instances, validation before the session is
// asked for, the webhook payloads and the mappers.

describe('Mega-api dialect: auth and validation without a session', () => {
  const t = useApp('sqlite')
  const rest = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token: string, payload?: unknown) =>
    t.app.inject({
      method,
      url: `/rest${url}`,
      headers: { authorization: `Bearer ${token}` },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    })

  it('a token works only on its own instance (A’s token on B is a 401, and B’s data is not shown)', async () => {
    const a = await createUser(t, { name: 'mega-a', instanceKey: 'megaapi-InputA' })
    const b = await createUser(t, { name: 'mega-b', instanceKey: 'megaapi-InputB' })
    assert.equal((await rest('GET', '/instance/megaapi-InputA', a.token)).statusCode, 200)
    for (const [method, url, payload] of [
      ['GET', '/instance/megaapi-InputB'],
      ['GET', '/webhook/megaapi-InputB'],
      ['POST', '/webhook/megaapi-InputB/configWebhook', { messageData: { webhookUrl: 'https://x.test/h' } }],
      ['GET', '/group/list/megaapi-InputB'],
      ['DELETE', '/instance/megaapi-InputB/logout'],
    ] as const) {
      const res = await rest(method, url, a.token, payload)
      assert.equal(res.statusCode, 401, `${method} ${url}: ${res.body}`)
      assert.deepEqual(Object.keys(res.json()).sort(), ['error', 'message'])
    }
    // B's webhook was not changed by A.
    assert.equal((await rest('GET', '/webhook/megaapi-InputB', b.token)).json().webhookUrl, '')
    // The admin token is not an instance token either.
    const admin = await t.app.inject({
      method: 'GET',
      url: '/rest/instance/megaapi-InputB',
      headers: { authorization: 'Bearer test-admin-token-0123456789' },
    })
    assert.equal(admin.statusCode, 401)
  })

  it('odd bodies are a 400 in the dialect’s shape (never a 5xx), before the session is asked for', async () => {
    const u = await createUser(t, { name: 'mega-odd', instanceKey: 'megaapi-InputOdd' })
    const k = 'megaapi-InputOdd'
    const cases: ['GET' | 'POST' | 'PUT' | 'DELETE', string, unknown?][] = [
      ['POST', `/sendMessage/${k}/text`, {}],
      ['POST', `/sendMessage/${k}/text`, { messageData: null }],
      ['POST', `/sendMessage/${k}/text`, { messageData: [] }],
      [
        'POST',
        `/sendMessage/${k}/text`,
        { messageData: { to: ['5511999999999', '5511999999998'], text: 'x' } },
      ],
      ['POST', `/sendMessage/${k}/text`, { messageData: { to: '', text: 'x' } }],
      ['POST', `/sendMessage/${k}/textToMany`, { messageData: { to: { a: 1 }, text: 'x' } }],
      [
        'POST',
        `/sendMessage/${k}/textToMany`,
        { messageData: { to: Array(1001).fill('5511999999999'), text: 'x' } },
      ],
      ['POST', `/sendMessage/${k}/textToMany`, { messageData: { to: ['5511999999999', 'nope'], text: 'x' } }],
      ['POST', `/sendMessage/${k}/listMessageToMany`, { messageData: { to: [{}], text: 'x' } }],
      [
        'POST',
        `/sendMessage/${k}/location`,
        { messageData: { to: '5511999999999', latitude: [], longitude: 1 } },
      ],
      [
        'POST',
        `/sendMessage/${k}/quoteMessage`,
        { messageData: { to: '5511999999999', text: 'x', key: 'k' } },
      ],
      [
        'POST',
        `/sendMessage/${k}/readMessage`,
        { messageData: { key: { remoteJid: '1@g.us', id: 'A', participant: 'not a jid' } } },
      ],
      ['POST', `/chat/${k}/presenceUpdateChat`, { to: [1, 2], option: 'composing' }],
      ['POST', `/chat/${k}/archiveChat`, { to: '5511999999999', option: 'maybe' }],
      ['POST', `/instance/downloadMediaMessage/${k}`, { messageKeys: 'x' }],
      ['POST', `/group/${k}/create`, { group_data: { group_name: 'x', participants: 'nope' } }],
      ['GET', `/instance/isOnWhatsApp/${k}`],
      ['GET', `/instance/messages/${k}?chat_id=`],
      ['PUT', `/group/${k}/setWhoCanSendMessage?jid=1@g.us&allowOnlyAdmins=maybe`],
    ]
    for (const [method, url, payload] of cases) {
      const res = await rest(method, url, u.token, payload)
      assert.equal(
        res.statusCode,
        400,
        `${method} ${url} ${JSON.stringify(payload)?.slice(0, 80)}: ${res.body}`,
      )
      assert.equal(res.json().error, true)
      assert.equal(typeof res.json().message, 'string')
    }
    // A valid body reaches the session: not connected is Mega-api's 401.
    const offline = await rest('POST', `/sendMessage/${k}/text`, u.token, {
      messageData: { to: '5511999999999', text: 'x' },
    })
    assert.equal(offline.statusCode, 401)
    assert.equal(offline.json().message, 'Instance not connected to WhatsApp')
  })
})

const event = (type: string, data: Record<string, unknown>, chat = ''): ZapEvent => ({
  id: 'e',
  seq: 1,
  userId: 'u',
  type,
  chat,
  jid: '5511900000001:3@s.whatsapp.net',
  lid: '100000000000001@lid',
  at: new Date(1_700_000_000_000),
  data,
})
const messageData = (message: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id: 'ID1',
  chat: '5511900000002@s.whatsapp.net',
  chatLid: '100000000000002@lid',
  fromMe: false,
  timestamp: 1705607198,
  pushName: 'Ann',
  senderPn: '5511900000002@s.whatsapp.net',
  senderLid: '100000000000002@lid',
  message,
  ...extra,
})
type Payload = Record<string, unknown> & { key: Record<string, unknown> }

describe('Mega-api webhook payloads (§7)', () => {
  const ctx = { deviceListMetadataVersion: 2 }

  it('messageType: the first key, but a wrapper names an ephemeral message and a group’s sender key is skipped', () => {
    // WhatsApp's field order puts messageContextInfo (35) before ephemeralMessage (40), as the docs' example does.
    const ephemeral = {
      messageContextInfo: ctx,
      ephemeralMessage: { message: { extendedTextMessage: { text: 'ola' } } },
    }
    assert.equal(megaapiMessageType(ephemeral), 'ephemeralMessage')
    assert.equal(megaapiMessageType({ conversation: 'oi', messageContextInfo: ctx }), 'conversation')
    assert.equal(
      megaapiMessageType({ messageContextInfo: ctx, interactiveMessage: {} }),
      'messageContextInfo',
    )
    assert.equal(
      megaapiMessageType({ messageContextInfo: ctx, pollCreationMessage: {} }),
      'messageContextInfo',
    )
    // A group image from a sender whose key this account had not got: the distribution comes first.
    assert.equal(
      megaapiMessageType({ senderKeyDistributionMessage: { groupId: 'g' }, imageMessage: { url: 'x' } }),
      'imageMessage',
    )
    const hooked = megaapiWebhookPayload(event('Message', messageData(ephemeral)), 'megaapi-X') as Payload
    assert.equal(hooked.messageType, 'ephemeralMessage')
    assert.equal(hooked.messageTimestamp, 1705607198)
    assert.equal(typeof hooked.messageTimestamp, 'number')
    assert.equal(hooked.jid, '5511900000001@s.whatsapp.net')
    assert.deepEqual(hooked.key, {
      remoteJid: '5511900000002@s.whatsapp.net',
      fromMe: false,
      id: 'ID1',
      remoteJidAlt: '100000000000002@lid',
    })
  })

  it('a group message carries key.participant (the sender’s phone JID) and its LID', () => {
    const data = messageData({ conversation: 'oi' }, { chat: '120363000000000001@g.us', chatLid: '' })
    const hooked = megaapiWebhookPayload(event('Message', data), 'megaapi-X') as Payload
    assert.equal(hooked.key.remoteJid, '120363000000000001@g.us')
    assert.equal(hooked.key.participant, '5511900000002@s.whatsapp.net')
    assert.equal(hooked.key.participantAlt, '100000000000002@lid')
    assert.equal(hooked.messageType, 'conversation')
  })

  it('message.ack: a group’s receipt names who acknowledged in key.participant; a private one does not', () => {
    const group = megaapiWebhookPayload(
      event('MessageUpdate', {
        Kind: 'status',
        ID: 'M1',
        Chat: '120363000000000001@g.us',
        By: '5511900000002@s.whatsapp.net',
        Status: 'read',
      }),
      'megaapi-X',
    ) as Payload
    assert.equal(group.messageType, 'message.ack')
    assert.deepEqual(group.key, {
      remoteJid: '120363000000000001@g.us',
      fromMe: true,
      id: 'M1',
      participant: '5511900000002@s.whatsapp.net',
    })
    assert.deepEqual(group.update, { status: 4 })
    const direct = megaapiWebhookPayload(
      event('MessageUpdate', {
        Kind: 'status',
        ID: 'M2',
        Chat: '5511900000002@s.whatsapp.net',
        By: '5511900000002@s.whatsapp.net',
        Status: 'delivered',
      }),
      'megaapi-X',
    ) as Payload
    assert.deepEqual(direct.key, { remoteJid: '5511900000002@s.whatsapp.net', fromMe: true, id: 'M2' })
    assert.deepEqual(direct.update, { status: 3 })
  })

  it('after a logout: connection_update close (with the reason), then QR payloads', () => {
    const closed = megaapiWebhookPayload(event('LoggedOut', { code: 401 }), 'megaapi-X') as Payload
    assert.deepEqual(closed, {
      instance_key: 'megaapi-X',
      jid: '5511900000001@s.whatsapp.net',
      messageType: 'connection_update',
      connection_state: 'close',
      timestamp: 1_700_000_000,
      closeReason: 'LoggedOut',
    })
    const qr = megaapiWebhookPayload(event('QR', { code: '2@abc' }), 'megaapi-X') as Payload
    assert.equal(qr.messageType, 'qrcode')
    assert.equal(qr.qrcode, '2@abc')
  })
})

describe('Mega-api mappers', () => {
  it('quoteMessage: key.id is required, key.participant must be a JID, fromMe quotes this number', () => {
    assert.throws(() => quotedOf({}, undefined, ''), /key\.id is required/)
    assert.throws(() => quotedOf({ id: 'A', participant: 'nobody' }, undefined, ''), /invalid phone or JID/)
    assert.deepEqual(
      quotedOf({ id: 'A', fromMe: true }, { conversation: 'oi' }, '5511900000001:3@s.whatsapp.net'),
      {
        id: 'A',
        participant: '5511900000001@s.whatsapp.net',
        text: 'oi',
      },
    )
    assert.equal(
      quotedOf({ id: 'A', participant: '5511900000002:7@s.whatsapp.net' }, {}, '').participant,
      '5511900000002@s.whatsapp.net',
    )
  })

  it('chat mappers: the chat from to or key.remoteJid; presence needs a chat to type in; revokes only what may be revoked', () => {
    assert.equal(
      chatOf(undefined, { remoteJid: '5511900000002:4@s.whatsapp.net' }),
      '5511900000002@s.whatsapp.net',
    )
    assert.throws(() => chatOf('', {}), /required/)
    assert.equal(senderOf({ participant: ' ' }), undefined)
    assert.throws(() => senderOf({ participant: 'x' }), /invalid/)
    assert.deepEqual(presenceOf('available', undefined), { state: 'available' })
    assert.throws(() => presenceOf('composing', undefined), /to is required/)
    assert.deepEqual(presenceOf('recording', '5511900000002'), {
      state: 'recording',
      chat: '5511900000002@s.whatsapp.net',
    })
    assert.throws(
      () => revokable({ id: 'A', chat: '5511900000002@s.whatsapp.net', fromMe: false }),
      /own messages/,
    )
    assert.throws(() => revokable({ id: 'A', chat: '1@g.us', fromMe: false }), /participant/)
    assert.ok(revokable({ id: 'A', chat: '1@g.us', fromMe: false, participant: '2@s.whatsapp.net' }))
  })

  it('adminGroups: the groups where this number (by phone JID or LID, any device) is an admin', () => {
    const member = (jid: string, phone: string, lid: string, admin: boolean) => ({
      jid,
      phone,
      lid,
      admin,
      superAdmin: false,
    })
    const g = (jid: string, members: ReturnType<typeof member>[]) =>
      ({ jid, members }) as unknown as GroupInfo
    const list = [
      g('1@g.us', [member('9@lid', '5511900000001@s.whatsapp.net', '9@lid', true)]),
      g('2@g.us', [member('9@lid', '5511900000001@s.whatsapp.net', '9@lid', false)]),
      g('3@g.us', [member('8@lid', '', '8@lid', true), member('9@lid', '', '9@lid', false)]),
    ]
    assert.deepEqual(
      adminOnly(list, { jid: '5511900000001:2@s.whatsapp.net' }).map((x) => x.jid),
      ['1@g.us'],
    )
    assert.deepEqual(
      adminOnly(list, { lid: '8:1@lid' }).map((x) => x.jid),
      ['3@g.us'],
    )
  })
})
