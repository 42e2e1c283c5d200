import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { proto } from 'baileys'
import { type TestClient, textOf } from '../../src/testnet/client.js'
import { useNetwork } from '../helpers/testnet.js'

describe('test network: two unmodified Baileys clients', () => {
  const ctx = useNetwork()
  let alice: TestClient
  let bob: TestClient

  it('pair by QR, restart on 515 and log in', async () => {
    alice = await ctx.net.link('5511900000001')
    bob = await ctx.net.link('5511900000002')
    assert.equal(alice.auth.creds.me?.id, '5511900000001:1@s.whatsapp.net')
    assert.match(bob.auth.creds.me?.lid ?? '', /^\d+:1@lid$/)
  })

  it('exchange an end-to-end encrypted text both ways, with delivery and read receipts', async () => {
    const received = bob.waitFor('messages.upsert', (u) => u.messages.some((m) => textOf(m) === 'hello bob'))
    const sent = await alice.socket!.sendMessage('5511900000002@s.whatsapp.net', { text: 'hello bob' })
    const got = (await received).messages.find((m) => textOf(m) === 'hello bob')!
    assert.equal(got.key.fromMe, false)
    assert.equal(got.key.id, sent?.key.id)
    await alice.waitForStatus(sent!.key.id!, proto.WebMessageInfo.Status.DELIVERY_ACK)

    const read = alice.waitForStatus(sent!.key.id!, proto.WebMessageInfo.Status.READ)
    await bob.socket!.readMessages([got.key])
    await read

    const reply = alice.waitFor('messages.upsert', (u) => u.messages.some((m) => textOf(m) === 'hi alice'))
    await bob.socket!.sendMessage(got.key.remoteJid!, { text: 'hi alice' })
    await reply
  })
})
