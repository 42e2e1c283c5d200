import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { type TestClient, textOf } from '../../src/testnet/client.js'
import { useNetwork } from '../helpers/testnet.js'

describe('test network: groups', () => {
  const ctx = useNetwork()
  let alice: TestClient
  let bob: TestClient
  let carol: TestClient
  let group = ''
  before(async () => {
    alice = await ctx.net.link('5511950000001')
    bob = await ctx.net.link('5511950000002')
    carol = await ctx.net.link('5511950000003')
  })

  it('creates a group that every member learns of', async () => {
    const upsert = bob.waitFor('groups.upsert', (groups) => groups.some((g) => g.subject === 'Team'))
    const created = await alice.socket!.groupCreate('Team', [
      '5511950000002@s.whatsapp.net',
      '5511950000003@s.whatsapp.net',
    ])
    group = created.id
    assert.match(group, /^120363\d+@g\.us$/)
    assert.equal(created.participants.length, 3)
    assert.equal(
      created.participants.find((p) => p.id === '5511950000001@s.whatsapp.net')?.admin,
      'superadmin',
    )
    await upsert
    const metadata = await carol.socket!.groupMetadata(group)
    assert.equal(metadata.subject, 'Team')
  })

  it('delivers a group message to the other members, and the receipts back to the sender', async () => {
    const toBob = bob.waitFor('messages.upsert', (u) => u.messages.some((m) => textOf(m) === 'hi team'))
    const toCarol = carol.waitFor('messages.upsert', (u) => u.messages.some((m) => textOf(m) === 'hi team'))
    const sent = await alice.socket!.sendMessage(group, { text: 'hi team' })
    const [b, c] = await Promise.all([toBob, toCarol])
    for (const upsert of [b, c]) {
      const message = upsert.messages.find((m) => textOf(m) === 'hi team')!
      assert.equal(message.key.remoteJid, group)
      assert.equal(message.key.participant, '5511950000001@s.whatsapp.net')
    }
    const reply = alice.waitFor('messages.upsert', (u) =>
      u.messages.some((m) => textOf(m) === 'hello from bob'),
    )
    await bob.socket!.sendMessage(group, { text: 'hello from bob' })
    await reply
    const receipts = alice.waitFor('message-receipt.update', (updates) =>
      updates.some((u) => u.key.id === sent?.key.id),
    )
    await carol.socket!.readMessages([c.messages.find((m) => textOf(m) === 'hi team')!.key])
    await receipts
  })

  it('changes subject, invite link and membership, with notifications', async () => {
    const subject = bob.waitFor('groups.update', (updates) => updates.some((u) => u.subject === 'Renamed'))
    await alice.socket!.groupUpdateSubject(group, 'Renamed')
    await subject
    const code = await alice.socket!.groupInviteCode(group)
    assert.ok(code)
    const dave = await ctx.net.link('5511950000004')
    assert.equal(await dave.socket!.groupAcceptInvite(code!), group)
    const [removed] = await alice.socket!.groupParticipantsUpdate(
      group,
      ['5511950000003@s.whatsapp.net'],
      'remove',
    )
    assert.equal(removed?.status, '200')
    const metadata = await alice.socket!.groupMetadata(group)
    assert.deepEqual(metadata.participants.map((p) => p.id).sort(), [
      '5511950000001@s.whatsapp.net',
      '5511950000002@s.whatsapp.net',
      '5511950000004@s.whatsapp.net',
    ])
    await assert.rejects(
      bob.socket!.groupParticipantsUpdate(group, ['5511950000001@s.whatsapp.net'], 'remove'),
    )
  })

  it('a virtual contact creates a group through the control API', async () => {
    await ctx.net.contact('5511950000010', 'Eve')
    const res = await fetch(`${ctx.net.running.info.controlUrl}/accounts/5511950000010/groups`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'From Eve', participants: ['5511950000001@s.whatsapp.net'] }),
    })
    assert.equal(res.status, 201)
    const { jid } = (await res.json()) as { jid: string }
    const got = alice.waitFor('messages.upsert', (u) => u.messages.some((m) => textOf(m) === 'eve says hi'))
    await ctx.net.running.contacts.get('5511950000010')!.send({ to: jid, text: 'eve says hi' })
    const message = (await got).messages.find((m) => textOf(m) === 'eve says hi')!
    assert.equal(message.key.remoteJid, jid)

    const add = await fetch(
      `${ctx.net.running.info.controlUrl}/accounts/5511950000010/groups/${jid}/participants`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'add', participants: ['5511950000002@s.whatsapp.net'] }),
      },
    )
    assert.deepEqual(await add.json(), [{ jid: '5511950000002@s.whatsapp.net', status: '200' }])
  })
})
