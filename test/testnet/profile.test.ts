import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { type TestClient, textOf } from '../../src/testnet/client.js'

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
)

import { useNetwork } from '../helpers/testnet.js'

describe('test network: profile, privacy and block list', () => {
  const ctx = useNetwork()
  let alice: TestClient
  let bob: TestClient
  before(async () => {
    alice = await ctx.net.link('5511960000001')
    bob = await ctx.net.link('5511960000002')
  })

  it('stores the about text and serves it to others', async () => {
    await alice.socket!.updateProfileStatus('Busy building')
    const [result] = (await bob.socket!.fetchStatus('5511960000001@s.whatsapp.net')) ?? []
    assert.equal((result as { status?: { status?: string } }).status?.status, 'Busy building')
  })

  it('stores a profile picture and serves its URL, until removed', async () => {
    await alice.socket!.updateProfilePicture(alice.auth.creds.me!.id, PNG)
    const url = await bob.socket!.profilePictureUrl('5511960000001@s.whatsapp.net', 'image')
    assert.match(url ?? '', /^https:\/\/127\.0\.0\.1:\d+\/d\/[0-9a-f]+$/)
    await alice.socket!.removeProfilePicture(alice.auth.creds.me!.id)
    await assert.rejects(bob.socket!.profilePictureUrl('5511960000001@s.whatsapp.net', 'image'))
  })

  it('stores privacy settings', async () => {
    await alice.socket!.updateLastSeenPrivacy('none')
    const settings = await alice.socket!.fetchPrivacySettings(true)
    assert.equal(settings.last, 'none')
    assert.equal(settings.readreceipts, 'all')
  })

  it('keeps a block list and withholds a blocked sender’s messages', async () => {
    await bob.socket!.updateBlockStatus('5511960000001@s.whatsapp.net', 'block')
    const blocked = await bob.socket!.fetchBlocklist()
    assert.deepEqual(blocked, [`${ctx.net.network.accounts.get('5511960000001')!.lid}@lid`])
    let got = false
    bob.on('messages.upsert', (u: { messages: { message?: unknown }[] }) => {
      if (u.messages.some((m) => textOf(m as never) === 'blocked?')) got = true
    })
    await alice.socket!.sendMessage('5511960000002@s.whatsapp.net', { text: 'blocked?' })
    await sleep(500)
    assert.equal(got, false)
    await bob.socket!.updateBlockStatus('5511960000001@s.whatsapp.net', 'unblock')
    assert.deepEqual(await bob.socket!.fetchBlocklist(), [])
    const after = bob.waitFor('messages.upsert', (u) => u.messages.some((m) => textOf(m) === 'unblocked'))
    await alice.socket!.sendMessage('5511960000002@s.whatsapp.net', { text: 'unblocked' })
    await after
  })
})
