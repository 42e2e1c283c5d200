import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { describe, it } from 'node:test'
import { eventually } from '../src/testnet/harness.js'
import { ADMIN_TOKEN, createUser, useApp } from './helpers/app.js'
import { useReceiver } from './helpers/receiver.js'
import { linkSession, useNetwork } from './helpers/testnet.js'

describe('webhooks end to end: WhatsApp → gateway → webhook', () => {
  const network = useNetwork()
  const receiver = useReceiver<{
    event: string
    data: Record<string, unknown> & { Info: Record<string, unknown> }
  }>()
  const calls = receiver.calls
  const t = useApp('sqlite', () => ({ ZAPWIRE_TESTNET: network.net.running.info.controlUrl }))
  const me = '5521997000001'
  const friend = '5521997000002'

  it('a contact’s message and an echoed API send reach the webhook with phone and LID', async () => {
    await network.net.contact(friend, 'Friend')
    const user = await createUser(t, { name: 'e2e' })
    const headers = { token: user.token }
    const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, headers, payload })
    const hook = receiver.url()
    assert.equal((await post('/webhook', { webhook: hook, events: ['Message'] })).statusCode, 200)
    await linkSession(t, network.net, user.token, me)
    const id = await network.net.running.contacts
      .get(friend)!
      .send({ to: `${me}@s.whatsapp.net`, text: 'hi shop' })
    const inbound = await eventually(
      'the inbound Message',
      async () => calls.find((c) => c.data.id === id),
      15_000,
    )
    assert.equal(inbound.event, 'Message')
    assert.equal(inbound.data.text, 'hi shop')
    assert.equal(inbound.data.senderPn, `${friend}@s.whatsapp.net`)
    assert.match(String(inbound.data.senderLid), /@lid$/)
    const sent = await post('/chat/send/text', { Phone: friend, Body: 'hello back', EchoApi: true })
    assert.equal(sent.statusCode, 200, sent.body)
    const echo = await eventually(
      'the echoed send',
      async () => calls.find((c) => c.data.id === sent.json().data.Id),
      15_000,
    )
    assert.equal(echo.data.Info.IsFromAPI, true)
    assert.equal(echo.data.Info.IsFromMe, true)

    // Monitoring: the admin's stream sees the next send go pending → processing → delivered.
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`
    const abort = new AbortController()
    const stream = await fetch(`${base}/admin/events/stream?event_type=message.sent&limit=5`, {
      headers: { authorization: ADMIN_TOKEN },
      signal: abort.signal,
    })
    assert.equal(stream.headers.get('content-type'), 'text/event-stream')
    const frames: { id: number; status: string; payload: { id?: string } }[] = []
    void (async () => {
      const decoder = new TextDecoder()
      let buffer = ''
      for await (const chunk of stream.body!) {
        buffer += decoder.decode(chunk as Uint8Array)
        let end = buffer.indexOf('\n\n')
        while (end >= 0) {
          const data = buffer
            .slice(0, end)
            .split('\n')
            .find((l) => l.startsWith('data: '))
          if (data) frames.push(JSON.parse(data.slice(6)))
          buffer = buffer.slice(end + 2)
          end = buffer.indexOf('\n\n')
        }
      }
    })().catch(() => undefined)
    const second = await post('/chat/send/text', { Phone: friend, Body: 'watched', Id: 'WATCHED0001' })
    assert.equal(second.statusCode, 200, second.body)
    await eventually(
      'the delivered frame',
      async () => frames.find((f) => f.payload.id === 'WATCHED0001' && f.status === 'delivered'),
      10_000,
    )
    abort.abort()
    // History: the inbound message, and a refused send as message.failed.
    const refused = await post('/chat/send/text', {
      Phone: '5521997009999',
      Body: 'nobody',
      NumberCheck: true,
    })
    assert.equal(refused.statusCode, 404)
    const history = (
      await t.admin({ method: 'GET', url: `/admin/events/history?user_id=${user.id}&limit=100` })
    ).json()
    const types = history.events.map(
      (e: { event_type: string; status: string }) => `${e.event_type}:${e.status}`,
    )
    assert.ok(types.includes('message.received:delivered'), types.join())
    assert.ok(types.includes('message.sent:delivered'), types.join())
    assert.ok(types.includes('message.sent:failed'), types.join())
    assert.ok(types.includes('message.failed:failed'), types.join())
    // A user gets a stream session for its own events only.
    const denied = await post('/admin/events/session', { filters: {} })
    assert.equal(denied.statusCode, 403)
    const session = await post('/admin/events/session', { filters: { user_id: user.id } })
    assert.equal(session.statusCode, 200, session.body)
    assert.equal(session.json().ttl_seconds, 300)
    const own = await t.app.inject({
      method: 'GET',
      url: `/admin/events/history?session=${session.json().session_token}&event_type=message.received`,
    })
    assert.equal(own.statusCode, 200, own.body)
    assert.ok(own.json().events.every((e: { user_id: string }) => e.user_id === user.id))
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/admin/events/history?session=nope' })).statusCode,
      401,
    )
    const stats = (await t.admin({ method: 'GET', url: '/admin/events/stats' })).json()
    assert.ok(stats.events.by_type['message.sent'] >= 2)
  })
})
