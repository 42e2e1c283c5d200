import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { eventually } from '../src/testnet/harness.js'
import { createUser, useApp, userRequests } from './helpers/app.js'
import { linkSession, useNetwork } from './helpers/testnet.js'

type Event = { data: Record<string, unknown> }

/**
 * Receipts for what the gateway sends: the contacts' own Baileys clients send them when a message
 * arrives (delivery, `type="inactive"`) or is read. A receipt arriving within ~100 ms of the send
 * is folded by Baileys' event buffer into the echo of our own message instead of coming as
 * `messages.update` / `message-receipt.update`: both ways must reach the store and the outbox.
 */
describe('delivery and read receipts for what the gateway sends', () => {
  const network = useNetwork()
  const t = useApp('sqlite', () => ({ ZAPWIRE_TESTNET: network.net.running.info.controlUrl }))
  const me = '5521993000001'
  const bob = '5521993000002'
  const cid = '5521993000003'
  const pn = (phone: string) => `${phone}@s.whatsapp.net`
  let token = ''
  const user = userRequests(t, () => token)
  const { post, get } = user
  const events = (type: string) => user.events<Event>(type)
  const send = async (to: string, body: string) => {
    const res = await post('/chat/send/text', { Phone: to, Body: body })
    assert.equal(res.statusCode, 200, res.body)
    return res.json().data.Id as string
  }
  /** The stored status of our message `id` in `chat`. */
  const statusOf = async (chat: string, id: string) => {
    const res = await get(`/chat/history?chat_jid=${chat}&limit=50`)
    assert.equal(res.statusCode, 200, res.body)
    return (res.json().data as { message_id: string; status: string }[]).find((m) => m.message_id === id)
      ?.status
  }
  /** Waits until `id` is stored with `status` and both events for it are in the outbox. */
  const reached = async (chat: string, id: string, status: 'delivered' | 'read', by: string) => {
    await eventually(
      `${id} ${status} in the store`,
      async () => (await statusOf(chat, id)) === status,
      15_000,
    )
    const state = status === 'delivered' ? 'Delivered' : 'Read'
    const receipt = await eventually(
      `a ${state} ReadReceipt for ${id} by ${by}`,
      async () =>
        (await events('ReadReceipt')).find(
          (e) => (e.data.ids as string[]).includes(id) && e.data.state === state && e.data.sender === by,
        ),
      5_000,
    )
    assert.equal(receipt.data.chat, chat)
    const update = (await events('MessageUpdate')).find(
      (e) => e.data.Kind === 'status' && e.data.ID === id && e.data.Status === status,
    )
    assert.ok(update, `a MessageUpdate status ${status} for ${id}`)
    assert.equal(update.data.Chat, chat)
  }

  before(async () => {
    await network.net.contact(bob, 'Bob')
    await network.net.contact(cid, 'Cid')
    token = (await createUser(t, { name: 'receipts', history: 100 })).token
    await linkSession(t, network.net, token, me, 'Shop')
  })

  it('a 1:1 message becomes delivered when the contact only receives it (a late receipt: messages.update)', async () => {
    // Everything sent to the gateway's device waits 400 ms: the receipt comes after the echo.
    network.net.fault(`${me}:1@s.whatsapp.net`, { kind: 'delay', ms: 400 })
    try {
      const id = await send(bob, 'receive me slowly')
      await network.net.inbox(bob, (m) => m.id === id)
      await reached(pn(bob), id, 'delivered', pn(bob))
    } finally {
      network.net.fault(`${me}:1@s.whatsapp.net`, { kind: 'clear' })
    }
  })

  it('messages sent in a burst all become delivered (fast receipts folded into the echo)', async () => {
    const ids = await Promise.all([1, 2, 3, 4].map((n) => send(bob, `burst ${n}`)))
    for (const id of ids) await network.net.inbox(bob, (m) => m.id === id)
    for (const id of ids) await reached(pn(bob), id, 'delivered', pn(bob))
  })

  it('a message becomes read once the contact reads it', async () => {
    const id = await send(bob, 'read me')
    await network.net.inbox(bob, (m) => m.id === id)
    await reached(pn(bob), id, 'delivered', pn(bob))
    const contact = network.net.running.contacts.get(bob)!
    await contact.client.socket!.readMessages([{ remoteJid: pn(me), id, fromMe: false }])
    await reached(pn(bob), id, 'read', pn(bob))
  })

  it('a group message gets a delivery receipt from every member, then a read one', async () => {
    const created = await post('/group/create', { Name: 'Receipts', Participants: [bob, cid] })
    assert.equal(created.statusCode, 200, created.body)
    const group = created.json().data.JID as string
    for (const phone of [bob, cid])
      await eventually(
        `${phone} knows the group`,
        async () =>
          (await network.net.running.contacts.get(phone)!.client.socket!.groupFetchAllParticipating())[group],
        10_000,
      )
    const id = await send(group, 'hello members')
    for (const phone of [bob, cid]) {
      await network.net.inbox(phone, (m) => m.id === id)
      await reached(group, id, 'delivered', pn(phone))
    }
    const contact = network.net.running.contacts.get(cid)!
    await contact.client.socket!.readMessages([{ remoteJid: group, id, fromMe: false, participant: pn(me) }])
    await reached(group, id, 'read', pn(cid))
  })
})
