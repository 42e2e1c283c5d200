import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { eventually } from '../src/testnet/harness.js'
import { createUser, useApp } from './helpers/app.js'
import { useReceiver } from './helpers/receiver.js'
import { useNetwork } from './helpers/testnet.js'

type Hooked = Record<string, unknown> & { messageType: string; key?: Record<string, unknown> }

describe('Mega-api dialect: instances, auth, webhook in its shapes', () => {
  const network = useNetwork()
  const receiver = useReceiver<Hooked>()
  const t = useApp('sqlite', () => ({ ZAPWIRE_TESTNET: network.net.running.info.controlUrl }))
  const me = '5521995000001'
  const friend = '5521995000002'
  let linked = { key: '', token: '' }

  it('finds the instance by key, refuses an unknown key (404) and a wrong token (401) in its envelope', async () => {
    const user = await createUser(t, { name: 'mega-auth', instanceKey: 'megaapi-Auth01' })
    const bearer = { authorization: `Bearer ${user.token}` }
    const status = await t.app.inject({
      method: 'GET',
      url: '/rest/instance/megaapi-Auth01',
      headers: bearer,
    })
    assert.equal(status.statusCode, 200, status.body)
    assert.equal(status.json().error, false)
    assert.equal(status.json().instance.key, 'megaapi-Auth01')
    assert.equal(status.json().instance.user, undefined, 'no user while disconnected')
    // The id serves only for an instance without a key of its own.
    const byId = await t.app.inject({ method: 'GET', url: `/rest/instance/${user.id}`, headers: bearer })
    assert.equal(byId.statusCode, 404)
    const unknown = await t.app.inject({ method: 'GET', url: '/rest/instance/nope', headers: bearer })
    assert.equal(unknown.statusCode, 404)
    assert.deepEqual(unknown.json(), { error: true, message: 'Instance not found' })
    const wrong = await t.app.inject({
      method: 'GET',
      url: '/rest/instance/megaapi-Auth01',
      headers: { authorization: 'Bearer not-the-token' },
    })
    assert.equal(wrong.statusCode, 401)
    assert.equal(wrong.json().error, true)
    const none = await t.app.inject({ method: 'GET', url: '/rest/instance/megaapi-Auth01' })
    assert.equal(none.statusCode, 401)
    // A second user cannot take the key.
    const clash = await t.admin({
      method: 'POST',
      url: '/admin/users',
      payload: { name: 'clash', instanceKey: 'megaapi-Auth01' },
    })
    assert.equal(clash.statusCode, 409, clash.body)
    const bad = await t.admin({
      method: 'POST',
      url: '/admin/users',
      payload: { name: 'bad', instanceKey: 'a b' },
    })
    assert.equal(bad.statusCode, 400)
  })

  it('a webhook set through /rest gets inbound messages, acks and connection updates in Mega-api’s shapes', async () => {
    await network.net.contact(friend, 'Friend')
    const user = await createUser(t, { name: 'mega-hook' })
    const key = user.id
    linked = { key, token: user.token }
    const bearer = { authorization: `Bearer ${user.token}` }
    const configured = await t.app.inject({
      method: 'POST',
      url: `/rest/webhook/${key}/configWebhook`,
      headers: bearer,
      payload: { messageData: { webhookUrl: receiver.url(), webhookEnabled: true } },
    })
    assert.equal(configured.statusCode, 200, configured.body)
    assert.deepEqual(configured.json(), {
      error: false,
      message: 'Webhook configured',
      webhookUrl: receiver.url(),
      webhookEnabled: true,
    })
    const read = await t.app.inject({ method: 'GET', url: `/rest/webhook/${key}`, headers: bearer })
    assert.equal(read.json().webhookEnabled, true)
    const badUrl = await t.app.inject({
      method: 'POST',
      url: `/rest/webhook/${key}/configWebhook`,
      headers: bearer,
      payload: { messageData: { webhookUrl: 'ftp://x' } },
    })
    assert.equal(badUrl.statusCode, 400)
    assert.equal(badUrl.json().error, true)

    // Link the session (through the wuzapi routes: the pairing routes of /rest come with their issue).
    const headers = { token: user.token }
    network.net.network.accounts.create(me, 'Shop')
    await t.app.inject({ method: 'POST', url: '/session/connect', headers, payload: { Immediate: false } })
    const qr = (await t.app.inject({ method: 'GET', url: '/session/status', headers })).json().data
      .qrcode_text
    network.net.network.link(me, qr)
    const open = await eventually(
      'connection_update open',
      async () =>
        receiver.calls.find((c) => c.messageType === 'connection_update' && c.connection_state === 'open'),
      30_000,
    )
    assert.equal(open.instance_key, key)
    const status = await t.app.inject({ method: 'GET', url: `/rest/instance/${key}`, headers: bearer })
    assert.equal(status.json().instance.id, `${me}@s.whatsapp.net`)

    const id = await network.net.running.contacts
      .get(friend)!
      .send({ to: `${me}@s.whatsapp.net`, text: 'oi' })
    const inbound = await eventually(
      'the message',
      async () => receiver.calls.find((c) => c.key?.id === id),
      15_000,
    )
    assert.equal(inbound.instance_key, key)
    assert.equal(inbound.jid, `${me}@s.whatsapp.net`)
    assert.equal(inbound.messageType, Object.keys(inbound.message as object)[0])
    assert.match(String(inbound.messageType), /^(conversation|extendedTextMessage)$/)
    assert.deepEqual(
      { remoteJid: inbound.key!.remoteJid, fromMe: inbound.key!.fromMe },
      { remoteJid: `${friend}@s.whatsapp.net`, fromMe: false },
    )
    assert.match(String(inbound.key!.remoteJidAlt), /@lid$/)
    assert.equal(inbound.pushName, 'Friend')

    const sent = await t.app.inject({
      method: 'POST',
      url: '/chat/send/text',
      headers,
      payload: { Phone: friend, Body: 'tudo bem?' },
    })
    assert.equal(sent.statusCode, 200, sent.body)
    // The contact reads it: the ack (status 4) reaches the webhook.
    const contact = network.net.running.contacts.get(friend)!
    const ack = await eventually(
      'message.ack read',
      async () => {
        await contact.client.socket!.readMessages([
          { remoteJid: `${me}@s.whatsapp.net`, id: sent.json().data.Id, fromMe: false },
        ])
        return receiver.calls.find(
          (c) =>
            c.messageType === 'message.ack' &&
            c.key?.id === sent.json().data.Id &&
            (c.update as { status: number }).status === 4,
        )
      },
      15_000,
    )
    assert.equal(ack.key!.fromMe, true)
  })

  it('a group: an image’s webhook is imageMessage (not the sender key) with key.participant; a member’s read is a message.ack naming them', async () => {
    // The instance the previous test linked.
    const mine = linked.key
    const bearer = { authorization: `Bearer ${linked.token}` }
    const created = await t.app.inject({
      method: 'POST',
      url: `/rest/group/${mine}/create`,
      headers: bearer,
      payload: { group_data: { group_name: 'Mega', participants: [friend] } },
    })
    assert.equal(created.statusCode, 200, created.body)
    const group = created.json().id as string
    const contact = network.net.running.contacts.get(friend)!
    const PNG =
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=='
    const id = await eventually('the contact sees the group', async () =>
      contact.send({ to: group, image: { base64: PNG, mimetype: 'image/png' } }).catch(() => undefined),
    )
    const hooked = await eventually('the group image', async () =>
      receiver.calls.find((c) => c.key?.id === id),
    )
    assert.equal(hooked.messageType, 'imageMessage')
    assert.equal(hooked.key!.remoteJid, group)
    assert.equal(hooked.key!.participant, `${friend}@s.whatsapp.net`)
    assert.match(String(hooked.key!.participantAlt), /@lid$/)
    assert.equal(typeof hooked.messageTimestamp, 'number')

    const sent = await t.app.inject({
      method: 'POST',
      url: `/rest/sendMessage/${mine}/text`,
      headers: bearer,
      payload: { messageData: { to: group, text: 'lido?' } },
    })
    assert.equal(sent.statusCode, 200, sent.body)
    const sentId = sent.json().id as string
    const ack = await eventually(
      'message.ack read in the group',
      async () => {
        await contact.client.socket!.readMessages([
          { remoteJid: group, id: sentId, fromMe: false, participant: `${me}@s.whatsapp.net` },
        ])
        return receiver.calls.find(
          (c) =>
            c.messageType === 'message.ack' &&
            c.key?.id === sentId &&
            (c.update as { status: number }).status === 4,
        )
      },
      15_000,
    )
    assert.deepEqual(ack.key, {
      remoteJid: group,
      fromMe: true,
      id: sentId,
      participant: `${friend}@s.whatsapp.net`,
    })
  })
})
