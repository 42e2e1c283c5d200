import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { EVENT_NAMES, parseSubscription } from './catalogue.js'

describe('event catalogue', () => {
  it('holds the 47 seed names plus MessageUpdate', () => {
    assert.equal(EVENT_NAMES.length, 48)
    assert.equal(new Set(EVENT_NAMES).size, 48)
  })

  it('parses arrays and comma lists, trims spaces, drops duplicates', () => {
    assert.deepEqual(parseSubscription('Message, ReadReceipt,Message'), {
      events: ['Message', 'ReadReceipt'],
      unknown: [],
    })
    assert.deepEqual(parseSubscription(['Presence']), { events: ['Presence'], unknown: [] })
  })

  it('collapses to All and reports unknown (case-sensitive) names', () => {
    assert.deepEqual(parseSubscription('Message,All'), { events: ['All'], unknown: [] })
    assert.deepEqual(parseSubscription('message,Nope'), {
      events: ['message', 'Nope'],
      unknown: ['message', 'Nope'],
    })
  })
})
