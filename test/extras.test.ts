import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { extrasState } from '../src/testnet/extras.js'
import { eventually } from '../src/testnet/harness.js'
import { createUser, useApp } from './helpers/app.js'
import { linkSession, useNetwork } from './helpers/testnet.js'

/** A 1×1 PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=='

// WhatsApp behaviour, not storage: one database (SQLite) and one linked session for the file.
describe('calls, status posts, labels, business, devices and sync against the test network', () => {
  const network = useNetwork()
  const t = useApp('sqlite', () => ({ ZAPWIRE_TESTNET: network.net.running.info.controlUrl }))
  const base = '55219930'
  const me = `${base}0001`
  const alice = `${base}0002`
  const bob = `${base}0003`
  const pn = (phone: string) => `${phone}@s.whatsapp.net`
  let token = ''
  let userId = ''
  let aliceMessage = { id: '', timestamp: 0 }
  const post = (url: string, payload: object, tok = token) =>
    t.app.inject({ method: 'POST', url, headers: { token: tok }, payload })
  const get = (url: string, tok = token) => t.app.inject({ method: 'GET', url, headers: { token: tok } })
  const events = async (type: string) =>
    (await get(`/events?type=${type}&limit=1000`)).json().data.events as {
      chat: string
      data: Record<string, unknown>
    }[]
  const contact = (phone: string) => network.net.running.contacts.get(phone)!
  const patches = async () =>
    (
      (await (await fetch(`${network.net.running.info.controlUrl}/accounts/${me}/app-state`)).json()) as {
        patches: Record<string, number>
      }
    ).patches

  before(async () => {
    await network.net.contact(alice, 'Alice')
    await network.net.contact(bob, 'Bob')
    const user = await createUser(t, { name: 'extras', history: 100 })
    token = user.token
    userId = user.id
    await linkSession(t, network.net, token, me, 'Shop')
    // Alice writes first: the session then knows her (contact store, chat) and the phone keeps a copy.
    const id = await contact(alice).send({ to: pn(me), text: 'hello shop' })
    const got = await eventually(
      'Alice’s message',
      async () => (await events('Message')).find((e) => e.data.id === id),
      15_000,
    )
    aliceMessage = { id, timestamp: Number(got.data.timestamp ?? Math.floor(Date.now() / 1000)) }
  })

  it('a contact’s call is a CallOffer event (and relay latency); /call/reject/send rejects it and messages the caller', async () => {
    const callId = await contact(alice).call(pn(me))
    const offer = await eventually('CallOffer', async () =>
      (await events('CallOffer')).find((e) => e.data.CallID === callId),
    )
    assert.equal(offer.chat, pn(alice))
    assert.equal(offer.data.CallerPN, pn(alice))
    assert.match(String(offer.data.CallerLID), /@lid$/)
    assert.equal(offer.data.IsVideo, false)
    await eventually('CallRelayLatency', async () =>
      (await events('CallRelayLatency')).find((e) => e.data.CallID === callId),
    )
    const res = await post('/call/reject/send', {
      call_id: callId,
      call_from: String(offer.data.CallCreator),
      reject_type: 'busy',
      message: 'I will call you back',
    })
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual(res.json(), {
      success: true,
      call_id: callId,
      call_from: pn(alice),
      reject_type: 'busy',
      action: 'rejected',
      message_sent: true,
    })
    await eventually('Alice sees the call rejected', () =>
      contact(alice).calls.find((c) => c.id === callId && c.status === 'reject'),
    )
    await network.net.inbox(alice, (m) => m.text === 'I will call you back')
    // The caller hangs up another call: CallTerminate.
    const second = await contact(alice).call(pn(me), true)
    await eventually('the video offer', async () =>
      (await events('CallOffer')).find((e) => e.data.CallID === second && e.data.IsVideo === true),
    )
    await contact(alice).endCall(pn(me), second)
    await eventually('CallTerminate', async () =>
      (await events('CallTerminate')).find((e) => e.data.CallID === second),
    )
  })

  it('with skipCalls on, an incoming call is rejected at once and the caller gets the reject message', async () => {
    const set = await post('/session/skipcalls/config', {
      enabled: true,
      reject_message: 'No calls, please write',
      reject_type: 'declined',
    })
    assert.equal(set.statusCode, 200, set.body)
    const callId = await contact(bob).call(pn(me))
    await eventually('Bob sees the call rejected', () =>
      contact(bob).calls.find((c) => c.id === callId && c.status === 'reject'),
    )
    await network.net.inbox(bob, (m) => m.text === 'No calls, please write')
    assert.equal((await post('/session/skipcalls/config', { enabled: false })).statusCode, 200)
  })

  it('refuses bad call rejections with 400', async () => {
    const bad = async (body: object, pattern: RegExp) => {
      const res = await post('/call/reject/send', body)
      assert.equal(res.statusCode, 400, res.body)
      assert.match(res.json().error, pattern)
    }
    await bad({ call_from: pn(alice), reject_type: 'busy' }, /call_id/)
    await bad({ call_id: 'X', call_from: pn(alice), reject_type: 'later' }, /reject_type/)
    await bad({ call_id: 'X', call_from: 'not a jid', reject_type: 'busy' }, /invalid call_from JID/)
    await bad(
      { call_id: 'X', call_from: '120363000000000000@g.us', reject_type: 'decline' },
      /invalid call_from/,
    )
  })

  it('posts text and image statuses that the contacts receive from status@broadcast', async () => {
    const text = await post('/status/send/text', {
      text: 'Open until 8 pm',
      background_color: '4294901760',
      text_color: '4294967295',
      font: 2,
    })
    assert.equal(text.statusCode, 200, text.body)
    const posted = text.json()
    assert.equal(posted.status, 'sent')
    assert.equal(posted.type, 'text_status')
    assert.ok(!Number.isNaN(Date.parse(posted.timestamp)))
    const seen = await network.net.inbox(alice, (m) => m.id === posted.message_id, 15_000)
    assert.equal(seen.chat, 'status@broadcast')
    assert.equal(seen.text, 'Open until 8 pm')
    const ext = (
      seen.message as { extendedTextMessage?: { backgroundArgb?: number; font?: number; textArgb?: number } }
    ).extendedTextMessage
    assert.equal(ext?.backgroundArgb, 4294901760)
    assert.equal(ext?.textArgb, 4294967295)
    assert.equal(ext?.font, 2)
    // An image to chosen recipients only (Zapwire's `recipients`).
    const image = await post('/status/send/image', {
      image: `data:image/png;base64,${PNG}`,
      caption: 'today',
      id: 'STATUSIMG0001',
      recipients: [bob],
    })
    assert.equal(image.statusCode, 200, image.body)
    assert.equal(image.json().message_id, 'STATUSIMG0001')
    assert.equal(image.json().type, 'image_status')
    const photo = await network.net.inbox(bob, (m) => m.id === 'STATUSIMG0001', 15_000)
    assert.equal(photo.chat, 'status@broadcast')
    assert.equal(photo.type, 'imageMessage')
    assert.equal(photo.text, 'today')
    assert.equal(photo.media?.size, Buffer.from(PNG, 'base64').length)
    assert.equal(
      contact(alice).inbox.find((m) => m.id === 'STATUSIMG0001'),
      undefined,
    )
    // Bad input.
    assert.equal((await post('/status/send/text', { text: 'x', text_color: 'red' })).statusCode, 400)
    assert.equal((await post('/status/send/text', { text: '' })).statusCode, 400)
    assert.equal((await post('/status/send/text', { text: 'x', font: 11 })).statusCode, 400)
    assert.equal((await post('/status/send/image', {})).statusCode, 400)
    assert.equal((await post('/status/send/audio', { audio: 'not media at all' })).statusCode, 400)
  })

  it('creates and applies labels as app-state patches that reach the network', async () => {
    const share = await fetch(`${network.net.running.info.controlUrl}/accounts/${me}/app-state-key`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    assert.equal(share.status, 200)
    const before = (await patches()).regular ?? 0
    const created = await eventually('the key share to arrive', async () => {
      const r = await post('/label/manage', { label_name: 'VIP', label_color: 3 })
      return r.statusCode === 200 ? r : undefined
    })
    const label = created.json().data
    assert.equal(label.message, 'Label created successfully')
    assert.match(label.label_id, /^label_\d+$/)
    assert.equal(label.label_name, 'VIP')
    assert.equal(label.label_color, 3)
    const onChat = await post('/label/chat', { phone: alice, label_id: label.label_id, apply: true })
    assert.equal(onChat.statusCode, 200, onChat.body)
    assert.deepEqual(onChat.json().data, {
      success: true,
      message: 'Label applied successfully',
      jid: pn(alice),
      label_id: label.label_id,
      applied: true,
    })
    const onMessage = await post('/label/message', {
      phone: alice,
      message_id: aliceMessage.id,
      label_id: label.label_id,
      apply: true,
    })
    assert.equal(onMessage.statusCode, 200, onMessage.body)
    assert.equal(onMessage.json().data.message_id, aliceMessage.id)
    const removed = await post('/label/chat', { phone: alice, label_id: label.label_id, apply: false })
    assert.equal(removed.json().data.message, 'Label removed successfully')
    const deleted = await post('/label/manage', { label_id: label.label_id, delete: true })
    assert.equal(deleted.json().data.message, 'Label deleted successfully')
    assert.equal((await patches()).regular, before + 5)
    // Each change is reported as whatsmeow's AppState event (index and sync action).
    const states = await eventually(
      'the label AppState events',
      async () => {
        const found = (await events('AppState')).map((e) => e.data as { Index: string[] })
        return found.length >= 5 ? found : undefined
      },
      10_000,
    )
    assert.deepEqual(
      states.map((s) => s.Index.slice(0, 2)),
      [
        ['label_edit', label.label_id],
        ['label_jid', label.label_id],
        ['label_message', label.label_id],
        ['label_jid', label.label_id],
        ['label_edit', label.label_id],
      ],
    )
    // Bad input.
    assert.equal((await post('/label/manage', { delete: true })).statusCode, 400)
    assert.equal((await post('/label/manage', { label_name: 'x', label_color: 20 })).statusCode, 400)
    assert.equal((await post('/label/manage', { label_color: 1 })).statusCode, 400)
    assert.equal((await post('/label/chat', { phone: 'nobody', label_id: 'l', apply: true })).statusCode, 400)
    assert.equal((await post('/label/message', { phone: alice, label_id: 'l', apply: true })).statusCode, 400)
  })

  it('lists linked devices and the devices of contacts as the network knows them', async () => {
    const linked = await get('/device/linked')
    assert.equal(linked.statusCode, 200, linked.body)
    const account = network.net.network.accounts.get(me)!
    const ids = [...account.devices.keys()].sort((a, b) => a - b)
    assert.deepEqual(
      linked.json().linked_devices.map((d: { device_id: number }) => d.device_id),
      ids,
    )
    assert.equal(linked.json().count, ids.length)
    const mine = linked.json().linked_devices.find((d: { connected: boolean }) => d.connected)
    assert.equal(mine.device_id, ids.at(-1))
    const users = await post('/device/users', { jids: [alice, pn(bob)] })
    assert.equal(users.statusCode, 200, users.body)
    const body = users.json()
    assert.equal(body.total_users, 2)
    const aliceDevices = [...network.net.network.accounts.get(alice)!.devices.keys()]
    assert.deepEqual(
      body.devices
        .find((d: { jid: string }) => d.jid === pn(alice))
        .devices.map((d: { device_id: number }) => d.device_id),
      aliceDevices,
    )
    assert.equal(
      body.total_devices,
      aliceDevices.length + network.net.network.accounts.get(bob)!.devices.size,
    )
    const within = await post('/device/users/context', { jids: [alice] })
    assert.equal(within.statusCode, 200, within.body)
    assert.equal(within.json().timeout_used, false)
    assert.equal(within.json().total_users, 1)
    assert.deepEqual((await post('/device/platform', { device_id: 1 })).json(), {
      success: true,
      device_id: 1,
      platform: 'CHROME',
    })
    assert.equal((await post('/device/platform', { device_id: 0 })).json().platform, 'PHONE')
    assert.equal((await post('/device/platform', { device_id: -1 })).statusCode, 400)
    assert.equal((await post('/device/users', { jids: [] })).statusCode, 400)
    assert.equal((await post('/device/users', { jids: ['120363000000000000@g.us'] })).statusCode, 400)
  })

  it('answers the business routes: bots, bot profiles, contact QR, message links and orders', async () => {
    const bots = await get('/business/bots')
    assert.equal(bots.statusCode, 200, bots.body)
    assert.equal(bots.json().count, 1)
    assert.equal(bots.json().bots[0].jid, '867051314767696@bot')
    assert.equal(bots.json().bots[0].name, 'Meta AI')
    const profiles = await post('/business/bot-profiles', { bot_jids: ['867051314767696@bot'] })
    assert.equal(profiles.statusCode, 200, profiles.body)
    const profile = profiles.json().profiles[0]
    assert.equal(profile.name, 'Meta AI')
    assert.deepEqual(profile.commands, [{ command: '/imagine', description: 'Create an image' }])
    assert.deepEqual(profile.capabilities, ['messaging', 'imagine'])
    assert.equal((await post('/business/bot-profiles', { bot_jids: [] })).statusCode, 400)

    const qr = await post('/business/contact-qr', { phone: me })
    assert.equal(qr.statusCode, 200, qr.body)
    assert.match(qr.json().qr_link, /^https:\/\/wa\.me\/qr\/[A-Z0-9_-]+$/)
    assert.equal((await post('/business/contact-qr', { phone: me })).json().qr_link, qr.json().qr_link)
    const revoked = await post('/business/contact-qr', { phone: me, revoke: true })
    assert.equal(revoked.json().revoked_previous, true)
    assert.notEqual(revoked.json().qr_link, qr.json().qr_link)

    const state = extrasState(network.net.network)
    state.messageLinks.set('BOBSHOP1', { phone: bob, message: 'Hi Bob, I want to order' })
    state.profiles.set(bob, {
      description: 'Fresh bread',
      category: 'Bakery',
      email: 'bob@example.com',
      website: 'https://bob.example.com',
      address: '1 Main St',
    })
    const link = await post('/business/resolve-link', { business_link: 'https://wa.me/message/BOBSHOP1' })
    assert.equal(link.statusCode, 200, link.body)
    assert.deepEqual(link.json(), {
      success: true,
      business_link: 'https://wa.me/message/BOBSHOP1',
      business_jid: pn(bob),
      business_name: 'Bob',
      verified: true,
      category: 'Bakery',
      description: 'Fresh bread',
      website: 'https://bob.example.com',
      email: 'bob@example.com',
      address: '1 Main St',
      push_name: 'Bob',
      message: 'Hi Bob, I want to order',
    })
    assert.equal((await post('/business/resolve-link', { business_link: 'NOSUCHCODE' })).statusCode, 404)
    assert.equal((await post('/business/resolve-link', { business_link: 'https://x.y/z w' })).statusCode, 400)

    const order = await post('/business/order/send', {
      phone: bob,
      items: [
        { name: 'Bread', quantity: 2, price: 3.5, currency: 'EUR' },
        { name: 'Cake', quantity: 1, price: 12, currency: 'EUR' },
      ],
      notes: 'Morning delivery',
    })
    assert.equal(order.statusCode, 200, order.body)
    assert.equal(order.json().items_count, 2)
    assert.equal(order.json().total_amount, 19)
    const got = await network.net.inbox(bob, (m) => m.id === order.json().message_id, 15_000)
    assert.equal(got.type, 'orderMessage')
    const o = (got.message as { orderMessage: Record<string, unknown> }).orderMessage
    assert.equal(o.orderId, order.json().order_id)
    assert.equal(o.message, 'Morning delivery')
    assert.equal(o.totalCurrencyCode, 'EUR')
    assert.equal(Number(o.totalAmount1000), 19_000)
    assert.equal((await post('/business/order/send', { phone: bob, items: [] })).statusCode, 400)
    assert.equal(
      (await post('/business/order/send', { phone: bob, items: [{ name: 'x', quantity: 0, price: 1 }] }))
        .statusCode,
      400,
    )
  })

  it('re-syncs app state, and history requests come back as HistorySync events carrying their request_id', async () => {
    const sync = await post('/sync/app-state', { full_sync: true })
    assert.equal(sync.statusCode, 200, sync.body)
    assert.equal(sync.json().success, true)
    assert.deepEqual(
      sync
        .json()
        .results.map((r: { name: string }) => r.name)
        .sort(),
      ['critical_block', 'critical_unblock_low', 'regular', 'regular_high', 'regular_low'],
    )
    const ask = await post('/sync/history-request', {
      phone: alice,
      oldest_message_id: aliceMessage.id,
      oldest_message_timestamp: (aliceMessage.timestamp + 60) * 1000,
      count: 10,
    })
    assert.equal(ask.statusCode, 200, ask.body)
    const { request_id, chat, count } = ask.json()
    assert.match(request_id, /^[0-9A-F]{32}$/)
    assert.equal(chat, pn(alice))
    assert.equal(count, 10)
    const chunk = await eventually(
      'the on-demand HistorySync',
      async () => (await events('HistorySync')).find((e) => e.data.request_id === request_id),
      15_000,
    )
    const conversations = (
      chunk.data.Data as { conversations: { ID: string; messages: { message: { id: string } }[] }[] }
    ).conversations
    const withAlice = conversations.find((c) => c.ID === pn(alice))
    assert.ok(
      withAlice?.messages.some((m) => m.message.id === aliceMessage.id),
      JSON.stringify(conversations),
    )
    const full = await post('/sync/full-history', { days_limit: 7 })
    assert.equal(full.statusCode, 200, full.body)
    assert.deepEqual(full.json().config, {
      days_limit: 7,
      size_mb_limit: 1000,
      include_groups: true,
      include_calls: false,
    })
    const fullChunk = await eventually(
      'the full-history HistorySync',
      async () => (await events('HistorySync')).find((e) => e.data.request_id === full.json().request_id),
      15_000,
    )
    assert.deepEqual(fullChunk.data.fullHistorySyncOnDemandRequestMetadata, {
      requestId: full.json().request_id,
    })
    assert.equal(
      (await post('/sync/history-request', { phone: alice, oldest_message_timestamp: 1 })).statusCode,
      400,
    )
    assert.equal((await post('/sync/full-history', { days_limit: 0 })).statusCode, 400)
  })

  it('/admin/instances/status shows the connected instance and an unpaired one with its QR; /admin/license/info needs no licence', async () => {
    const other = await createUser(t, { name: 'unpaired' })
    assert.equal((await post('/session/connect', { Immediate: false }, other.token)).statusCode, 200)
    // Routes needing a live session answer 409 while it is not logged in.
    assert.equal((await get('/device/linked', other.token)).statusCode, 409)
    const res = await t.admin({ method: 'GET', url: '/admin/instances/status?include_total=true' })
    assert.equal(res.statusCode, 200, res.body)
    const body = res.json()
    assert.equal(body.success, true)
    assert.equal(body.pagination.total, 2)
    assert.equal(body.pagination.has_more, false)
    assert.equal(body.pagination.next_offset, null)
    const connected = body.data.find((d: { id: string }) => d.id === userId)
    assert.equal(connected.connectionHealth, 'connected')
    assert.equal(connected.loggedIn, true)
    assert.equal(connected.qrcode, '')
    assert.equal(connected.source, 'runtime')
    assert.match(connected.jid, new RegExp(`^${me}`))
    const unpaired = body.data.find((d: { id: string }) => d.id === other.id)
    assert.equal(unpaired.loggedIn, false)
    assert.equal(unpaired.connectionHealth, 'connected_not_logged')
    assert.match(unpaired.qrcode_text, /^https:\/\/wa\.me\/settings\/linked_devices#|^[^,]+,[^,]+,/)
    assert.match(unpaired.qrcode, /^data:image\/png;base64,/)
    const page = (await t.admin({ method: 'GET', url: '/admin/instances/status?limit=1' })).json()
    assert.equal(page.data.length, 1)
    assert.equal(page.pagination.has_more, true)
    assert.equal(page.pagination.next_offset, 1)
    assert.equal(page.pagination.total, undefined)
    const only = (await t.admin({ method: 'GET', url: `/admin/instances/status?ids=${other.id}` })).json()
    assert.deepEqual(
      only.data.map((d: { id: string }) => d.id),
      [other.id],
    )
    for (const q of ['limit=0', 'limit=1001', 'offset=-1', 'limit=x', 'include_total=maybe']) {
      const bad = await t.admin({ method: 'GET', url: `/admin/instances/status?${q}` })
      assert.equal(bad.statusCode, 400, `${q}: ${bad.body}`)
    }
    assert.equal((await get('/admin/instances/status')).statusCode, 401)
    const license = await t.admin({ method: 'GET', url: '/admin/license/info' })
    assert.equal(license.statusCode, 200, license.body)
    assert.equal(license.json().valid, true)
    assert.equal(license.json().status, 'active')
    assert.equal(license.json().license_required, false)
    assert.ok(license.json().days_until_expiry > 365)
    assert.equal((await get('/admin/license/info')).statusCode, 401)
  })
})
