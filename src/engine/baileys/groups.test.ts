import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { GroupMetadata } from 'baileys'
import { groupJson } from '../groups.js'
import { EngineRefusal } from '../port.js'
import { refusal, toGroupInfo } from './groups.js'

/** What Baileys throws (a Boom): `data` is WhatsApp's code when an `<error>` child came back. */
const boom = (message: string, statusCode: number, data?: unknown) =>
  Object.assign(new Error(message), { isBoom: true, output: { statusCode }, data })

const meta: GroupMetadata = {
  id: '120363000000000001@g.us',
  addressingMode: 'lid' as GroupMetadata['addressingMode'],
  subject: 'Team',
  subjectOwner: '111@lid',
  subjectOwnerPn: '5511999990001@s.whatsapp.net',
  subjectTime: 1_700_000_000,
  creation: 1_700_000_000,
  owner: '111@lid',
  ownerPn: '5511999990001@s.whatsapp.net',
  desc: 'about',
  descId: 'D1',
  restrict: true,
  announce: false,
  ephemeralDuration: 86_400,
  participants: [
    { id: '111@lid', phoneNumber: '5511999990001@s.whatsapp.net', admin: 'superadmin' },
    { id: '5511999990002@s.whatsapp.net', lid: '222@lid', admin: null },
  ],
}

describe('baileys groups translation', () => {
  it('turns group metadata into whatsmeow’s GroupInfo with phone JID and LID of every member', () => {
    const json = groupJson(toGroupInfo(meta))
    assert.equal(json.JID, meta.id)
    assert.equal(json.OwnerJID, '5511999990001@s.whatsapp.net')
    assert.equal(json.NameSetBy, '5511999990001@s.whatsapp.net')
    assert.equal(json.NameSetAt, '2023-11-14T22:13:20.000Z')
    assert.equal(json.TopicSetAt, '0001-01-01T00:00:00Z')
    assert.equal(json.IsLocked, true)
    assert.equal(json.IsEphemeral, true)
    assert.equal(json.DisappearingTimer, 86_400)
    assert.equal(json.AddressingMode, 'lid')
    assert.deepEqual(
      json.Participants?.map((p) => [p.JID, p.LID, p.IsAdmin, p.IsSuperAdmin]),
      [
        ['5511999990001@s.whatsapp.net', '111@lid', true, true],
        ['5511999990002@s.whatsapp.net', '222@lid', false, false],
      ],
    )
    assert.equal(groupJson(toGroupInfo(meta), false).Participants, undefined)
  })

  it('keeps WhatsApp’s error code from an <error> child or a Boom', () => {
    const forbidden = refusal(boom('forbidden', 500, 403))
    assert.ok(forbidden instanceof EngineRefusal)
    assert.equal(forbidden.code, 403)
    const notFound = refusal(boom('item-not-found', 404))
    assert.equal((notFound as EngineRefusal).code, 404)
    // A timeout or a closed socket is not a refusal.
    const timeout = boom('Timed Out', 408)
    assert.equal(refusal(timeout), timeout)
    const plain = new Error('x')
    assert.equal(refusal(plain), plain)
  })
})
