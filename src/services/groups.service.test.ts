import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AppError } from './errors.js'
import { parseDuration, parseGroupJid, parseInviteCode } from './groups.service.js'

const refusedAsValidation = (run: () => unknown) =>
  assert.throws(run, (err) => err instanceof AppError && err.code === 'VALIDATION')

describe('group input parsing', () => {
  it('takes group JIDs only', () => {
    assert.equal(parseGroupJid(' 120363312246943103@g.us '), '120363312246943103@g.us')
    assert.equal(parseGroupJid('5511999999999-1600000000@g.us'), '5511999999999-1600000000@g.us')
    for (const bad of ['5511999999999@s.whatsapp.net', '120363@newsletter', 'abc@g.us', ''])
      refusedAsValidation(() => parseGroupJid(bad))
  })

  it('takes an invite code or its link', () => {
    assert.equal(parseInviteCode('HffXhYmzzyJGec61oqMXiz'), 'HffXhYmzzyJGec61oqMXiz')
    assert.equal(
      parseInviteCode('https://chat.whatsapp.com/HffXhYmzzyJGec61oqMXiz'),
      'HffXhYmzzyJGec61oqMXiz',
    )
    assert.equal(
      parseInviteCode('chat.whatsapp.com/invite/HffXhYmzzyJGec61oqMXiz/'),
      'HffXhYmzzyJGec61oqMXiz',
    )
    for (const bad of ['', 'a b', 'https://example.com/x y']) refusedAsValidation(() => parseInviteCode(bad))
  })

  it('takes DIGIGO’s durations or their seconds', () => {
    assert.equal(parseDuration('24h'), 86_400)
    assert.equal(parseDuration('7D'), 604_800)
    assert.equal(parseDuration('90d'), 7_776_000)
    assert.equal(parseDuration('off'), 0)
    assert.equal(parseDuration(604_800), 604_800)
    for (const bad of ['5d', 'never', 12]) refusedAsValidation(() => parseDuration(bad))
  })
})
