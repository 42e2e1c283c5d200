import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DisconnectReason, proto } from 'baileys'
import { textOf } from '../../src/testnet/client.js'
import { eventually } from '../../src/testnet/harness.js'
import { setPresence } from '../../src/testnet/presence.js'
import { useNetwork } from '../helpers/testnet.js'

describe('test network', () => {
  const ctx = useNetwork()

  it('links a client by pairing code', async () => {
    const client = await ctx.net.link('5511910000001', { byCode: true })
    assert.equal(client.auth.creds.me?.id, '5511910000001:1@s.whatsapp.net')
    assert.equal(client.auth.creds.registered, true)
  })

  it('logs in again from saved credentials without a QR', async () => {
    const first = await ctx.net.link('5511910000002')
    first.stop()
    let sawQr = false
    const again = ctx.net.client({ auth: first.auth })
    again.on('connection.update', (u: { qr?: string }) => {
      if (u.qr) sawQr = true
    })
    const open = again.waitFor('connection.update', (u) => u.connection === 'open')
    again.start()
    await open
    assert.equal(sawQr, false)
  })

  it('lets a virtual contact send and receive real E2E messages, and echo', async () => {
    const contact = await ctx.net.contact('5511910000010', 'Carol')
    const client = await ctx.net.link('5511910000011')
    await client.socket!.sendMessage('5511910000010@s.whatsapp.net', { text: 'to carol' })
    const got = await ctx.net.inbox('5511910000010', (m) => m.text === 'to carol')
    const clientLid = `${ctx.net.network.accounts.get('5511910000011')!.lid}@lid`
    assert.deepEqual([got.sender, got.senderAlt].sort(), ['5511910000011@s.whatsapp.net', clientLid].sort())

    const reply = client.waitFor('messages.upsert', (u) => u.messages.some((m) => textOf(m) === 'from carol'))
    await contact.send({ to: '5511910000011@s.whatsapp.net', text: 'from carol' })
    const upsert = await reply
    const message = upsert.messages.find((m) => textOf(m) === 'from carol')!
    assert.equal(message.pushName, 'Carol')

    await ctx.net.contact('5511910000012', 'Echo', true)
    const echoed = client.waitFor('messages.upsert', (u) =>
      u.messages.some((m) => !m.key.fromMe && textOf(m) === 'ping echo'),
    )
    await client.socket!.sendMessage('5511910000012@s.whatsapp.net', { text: 'ping echo' })
    await echoed
  })

  it('queues messages for an offline device and delivers them at its next login', async () => {
    const bob = await ctx.net.link('5511910000021')
    const alice = await ctx.net.link('5511910000020')
    bob.stop()
    await eventually(
      'bob offline',
      () => !ctx.net.network.accounts.get('5511910000021')?.devices.get(1)?.connection?.isOpen,
    )
    await alice.socket!.sendMessage('5511910000021@s.whatsapp.net', { text: 'while you were away' })
    await eventually(
      'a queued stanza',
      () => (ctx.net.network.accounts.get('5511910000021')?.devices.get(1)?.queue.length ?? 0) > 0,
    )
    const back = ctx.net.client({ auth: bob.auth })
    const got = back.waitFor('messages.upsert', (u) =>
      u.messages.some((m) => textOf(m) === 'while you were away'),
    )
    back.start()
    await got
  })

  it('addresses by LID: a message to a LID arrives with the phone number as the alternate', async () => {
    const bob = await ctx.net.link('5511910000031')
    const alice = await ctx.net.link('5511910000030')
    const bobLid = `${ctx.net.network.accounts.get('5511910000031')!.lid}@lid`
    const got = bob.waitFor('messages.upsert', (u) => u.messages.some((m) => textOf(m) === 'via lid'))
    await alice.socket!.sendMessage(bobLid, { text: 'via lid' })
    const message = (await got).messages.find((m) => textOf(m) === 'via lid')!
    assert.match(message.key.remoteJid ?? '', /@lid$/)
    assert.equal(message.key.remoteJidAlt, '5511910000030@s.whatsapp.net')
  })

  it('relays presence and chat state', async () => {
    const bob = await ctx.net.link('5511910000041')
    const alice = await ctx.net.link('5511910000040')
    const seen = alice.waitFor('presence.update', (p) =>
      Object.values(p.presences).some((x) => x.lastKnownPresence === 'available'),
    )
    await alice.socket!.presenceSubscribe('5511910000041@s.whatsapp.net')
    setPresence(ctx.net.network, ctx.net.network.accounts.get('5511910000041')!, 'available')
    await seen
    const typing = bob.waitFor('presence.update', (p) =>
      Object.values(p.presences).some((x) => x.lastKnownPresence === 'composing'),
    )
    await alice.socket!.sendPresenceUpdate('composing', '5511910000041@s.whatsapp.net')
    await typing
  })

  const codes: [string, number, number][] = [
    ['restart required', 515, DisconnectReason.restartRequired],
    ['connection closed', 428, DisconnectReason.connectionClosed],
    ['replaced', 440, DisconnectReason.connectionReplaced],
    ['forbidden', 403, DisconnectReason.forbidden],
    ['temporarily banned', 402, 402],
    ['outdated client', 405, 405],
    ['logged out (unlinked from the phone)', 401, DisconnectReason.loggedOut],
  ]
  for (const [name, code, expected] of codes) {
    it(`a stream error ${code} (${name}) gives the client ${expected}`, async () => {
      const phone = `55119200${String(code).padStart(5, '0')}`
      const client = await ctx.net.link(phone)
      const closed = client.waitFor('connection.update', (u) => u.connection === 'close')
      ctx.net.fault(`${phone}:1@s.whatsapp.net`, { kind: 'stream-error', code })
      await closed
      assert.equal(client.lastDisconnect, expected)
      if (code === 515) await client.waitFor('connection.update', (u) => u.connection === 'open')
      if (code === 401) assert.equal(ctx.net.network.accounts.get(phone)!.devices.size, 0)
    })
  }

  it('a dropped socket gives 428; a silent server gives 408 after the keep-alive', async () => {
    const client = await ctx.net.link('5511930000001')
    const closed = client.waitFor('connection.update', (u) => u.connection === 'close')
    ctx.net.fault('5511930000001:1@s.whatsapp.net', { kind: 'drop' })
    await closed
    assert.equal(client.lastDisconnect, DisconnectReason.connectionClosed)

    const zombie = await ctx.net.link('5511930000002', { keepAliveIntervalMs: 1000 })
    const lost = zombie.waitFor('connection.update', (u) => u.connection === 'close', 15_000)
    ctx.net.fault('5511930000002:1@s.whatsapp.net', { kind: 'silent' })
    await lost
    assert.equal(zombie.lastDisconnect, DisconnectReason.connectionLost)
  })

  it('refuses a send with 463, delays and duplicates deliveries', async () => {
    const bob = await ctx.net.link('5511930000011')
    const alice = await ctx.net.link('5511930000010')
    ctx.net.fault('5511930000010:1@s.whatsapp.net', { kind: 'refuse-send', code: 463 })
    const refusedId = (await alice.socket!.sendMessage('5511930000011@s.whatsapp.net', { text: 'refused' }))!
      .key.id!
    await alice.waitForStatus(refusedId, proto.WebMessageInfo.Status.ERROR)

    ctx.net.fault('5511930000011:1@s.whatsapp.net', { kind: 'delay', ms: 400 })
    const started = Date.now()
    const delayed = bob.waitFor('messages.upsert', (u) => u.messages.some((m) => textOf(m) === 'slow'))
    await alice.socket!.sendMessage('5511930000011@s.whatsapp.net', { text: 'slow' })
    await delayed
    assert.ok(Date.now() - started >= 400)
    ctx.net.fault('5511930000011:1@s.whatsapp.net', { kind: 'clear' })

    const copies: string[] = []
    ctx.net.network.on('deliver', ({ node }) => {
      if (node.tag === 'message') copies.push(node.attrs.id)
    })
    ctx.net.fault('5511930000011:1@s.whatsapp.net', { kind: 'duplicate' })
    const twiceId = (await alice.socket!.sendMessage('5511930000011@s.whatsapp.net', { text: 'twice' }))!.key
      .id!
    await eventually('two copies', () => copies.filter((id) => id === twiceId).length === 2)
  })
})
