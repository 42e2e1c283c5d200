import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { before, describe, it } from 'node:test'
import { decryptPollVote, jidNormalizedUser, type WAMessage } from 'baileys'
import { type TestClient, textOf } from '../../src/testnet/client.js'
import type { VirtualContact } from '../../src/testnet/contact.js'

const CONTACT = '5511970000001'
const CLIENT = '5511970000002'
const CLIENT_JID = `${CLIENT}@s.whatsapp.net`

import { useNetwork } from '../helpers/testnet.js'

describe('test network: every message type a virtual contact sends', () => {
  const ctx = useNetwork()
  let contact: VirtualContact
  let client: TestClient
  before(async () => {
    contact = await ctx.net.contact(CONTACT, 'Frank')
    client = await ctx.net.link(CLIENT)
  })

  /** Makes the contact send, and returns what the client received for that id. */
  async function roundTrip(request: Omit<Parameters<VirtualContact['send']>[0], 'to'>): Promise<WAMessage> {
    let id = ''
    const seen: WAMessage[] = []
    const listener = (u: { messages: WAMessage[] }) => seen.push(...u.messages)
    client.on('messages.upsert', listener)
    try {
      id = await contact.send({ to: CLIENT_JID, ...request })
      const deadline = Date.now() + 10_000
      for (;;) {
        const found = seen.find((m) => m.key.id === id)
        if (found) return found
        if (Date.now() > deadline) throw new Error(`client never received ${id}`)
        await new Promise((r) => setTimeout(r, 20))
      }
    } finally {
      client.off('messages.upsert', listener)
    }
  }

  it('text, reply with mention, reaction, edit and revoke', async () => {
    const first = await roundTrip({ text: 'original' })
    assert.equal(textOf(first), 'original')
    const reply = await roundTrip({
      text: 'a reply @5511970000002',
      quoted: first.key.id!,
      mentions: [CLIENT_JID],
    })
    const context = reply.message?.extendedTextMessage?.contextInfo
    assert.equal(context?.stanzaId, first.key.id)
    assert.deepEqual(context?.mentionedJid, [CLIENT_JID])
    const reaction = await roundTrip({ reaction: { id: first.key.id!, emoji: '👍' } })
    assert.equal(reaction.message?.reactionMessage?.text, '👍')
    assert.equal(reaction.message?.reactionMessage?.key?.id, first.key.id)
    const edit = await roundTrip({ edit: { id: first.key.id!, text: 'edited' } })
    const edited = edit.message?.protocolMessage ?? edit.message?.editedMessage?.message?.protocolMessage
    assert.equal(edited?.key?.id, first.key.id)
    const revoke = await roundTrip({ revoke: { id: first.key.id! } })
    assert.equal(revoke.message?.protocolMessage?.key?.id, first.key.id)
  })

  it('location, contact card and poll', async () => {
    const location = await roundTrip({ location: { latitude: -23.55, longitude: -46.63, name: 'Praça' } })
    assert.equal(location.message?.locationMessage?.degreesLatitude, -23.55)
    assert.equal(location.message?.locationMessage?.name, 'Praça')
    const vcard = 'BEGIN:VCARD\nVERSION:3.0\nFN:Grace\nTEL;waid=5511970000009:+55 11 97000-0009\nEND:VCARD'
    const card = await roundTrip({ contact: { displayName: 'Grace', vcard } })
    assert.equal(card.message?.contactMessage?.vcard, vcard)
    const poll = await roundTrip({ poll: { name: 'Lunch?', options: ['pizza', 'sushi'] } })
    const creation = poll.message?.pollCreationMessageV3 ?? poll.message?.pollCreationMessage
    assert.deepEqual(
      creation?.options?.map((o) => o.optionName),
      ['pizza', 'sushi'],
    )
  })

  it('a poll vote the poll creator can decrypt', async () => {
    const sent = await client.socket!.sendMessage(`${CONTACT}@s.whatsapp.net`, {
      poll: { name: 'Tea or coffee?', values: ['tea', 'coffee'], selectableCount: 1 },
    })
    await ctx.net.inbox(CONTACT, (m) => m.id === sent?.key.id)
    const vote = await roundTrip({ vote: { poll: sent!.key.id!, options: ['coffee'] } })
    const update = vote.message?.pollUpdateMessage
    assert.equal(update?.pollCreationMessageKey?.id, sent?.key.id)
    const decrypted = decryptPollVote(update!.vote!, {
      pollEncKey: sent!.message!.messageContextInfo!.messageSecret!,
      pollCreatorJid: jidNormalizedUser(client.auth.creds.me!.id),
      pollMsgId: sent!.key.id!,
      voterJid: `${CONTACT}@s.whatsapp.net`,
    })
    assert.deepEqual(
      decrypted.selectedOptions?.map((o) => Buffer.from(o).toString('hex')),
      [createHash('sha256').update('coffee').digest('hex')],
    )
  })

  it('the contact receives the client’s messages, decrypted, in its inbox', async () => {
    await client.socket!.sendMessage(`${CONTACT}@s.whatsapp.net`, { text: 'for the inbox' })
    const got = await ctx.net.inbox(CONTACT, (m) => m.text === 'for the inbox')
    assert.equal(got.type, 'extendedTextMessage')
    assert.equal(got.chat.endsWith('@s.whatsapp.net') || got.chat.endsWith('@lid'), true)
  })
})
