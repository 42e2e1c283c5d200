import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { eventToRow, type NewEvent } from '../src/events/event.js'
import { type Database, openDatabase } from '../src/store/database.js'
import { EventsRepository } from '../src/store/events.repository.js'
import { eventually } from '../src/testnet/harness.js'
import { createUser, useApp, userRequests } from './helpers/app.js'
import { DIALECTS } from './helpers/databases.js'

interface Call {
  headers: http.IncomingHttpHeaders
  body: string
}

/** A webhook receiver: records every call; answers with whatever `status` says at the time. */
function receiver() {
  const calls: Call[] = []
  const r = {
    calls,
    status: (_call: Call): number => 200,
    url: '',
    server: http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const call = { headers: req.headers, body: Buffer.concat(chunks).toString() }
        const status = r.status(call)
        if (status >= 200 && status < 300) calls.push(call)
        res.writeHead(status).end('ignored')
      })
    }),
  }
  return r
}

/** HMAC-SHA256 with WebCrypto: an implementation independent of the gateway's node:crypto. */
async function hmacHex(key: string, data: string): Promise<string> {
  const k = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const sig = await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(data))
  return Buffer.from(sig).toString('hex')
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: webhooks`, () => {
    const hook = receiver()
    before(async () => {
      await new Promise<void>((resolve) => hook.server.listen(0, '127.0.0.1', resolve))
      hook.url = `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}/hook`
    })
    after(() => hook.server.close())
    const t = useApp(dialect, { ZAPWIRE_DELIVERY_RETRY_BASE_MS: '20', ZAPWIRE_DELIVERY_MAX_ATTEMPTS: '6' })
    let db: Database
    let events: EventsRepository
    before(() => {
      db = openDatabase(t.database.url)
      events = new EventsRepository(db.db)
    })
    after(() => db?.close())
    /** Writes events into the outbox, as the gateway's own services (or another process) do. */
    const append = (list: NewEvent[]) => events.append(list.map(eventToRow))
    const as = (token: string) => userRequests(t, token)
    const ofUser = (userId: string) =>
      hook.calls
        .map((c) => ({
          ...c,
          json: c.headers['content-type'] === 'application/json' ? JSON.parse(c.body) : undefined,
        }))
        .filter((c) => c.json?.userId === userId)

    it('sets, shows, changes and removes the webhook in every seed’s shape', async () => {
      const user = await createUser(t, { name: 'hooks' })
      const api = as(user.token)
      const set = await api.post('/webhook', { webhookURL: hook.url, events: ['Message', 'ReadReceipt'] })
      assert.equal(set.statusCode, 200, set.body)
      const data = set.json().data
      assert.equal(data.WebhookURL, hook.url)
      assert.equal(data.webhook, hook.url)
      assert.deepEqual(data.Events, ['Message', 'ReadReceipt'])
      assert.equal(data.active, true)
      const shown = (await api.get('/webhook')).json().data
      assert.deepEqual(shown.subscribe, ['Message', 'ReadReceipt'])
      const changed = (await api.put('/webhook', { Active: false, events: 'Message, Connected' })).json().data
      assert.equal(changed.active, false)
      assert.equal(changed.Webhook, hook.url)
      assert.deepEqual(changed.Events, ['Message', 'Connected'])
      const removed = await api.delete('/webhook')
      assert.equal(removed.json().data.Details, 'Webhook and events deleted successfully')
      assert.equal((await api.get('/webhook')).json().data.webhook, '')
      // Bad input: a clear 400 each.
      assert.equal((await api.post('/webhook', { webhook: 'ftp://example.com' })).statusCode, 400)
      assert.equal((await api.post('/webhook', { webhook: 'http://169.254.169.254/latest' })).statusCode, 400)
      assert.equal((await api.post('/webhook', { webhook: hook.url, events: ['Nope'] })).statusCode, 400)
      assert.equal((await api.post('/webhook', { webhook: hook.url, format: 'xml' })).statusCode, 400)
      assert.equal((await api.post('/session/hmac/config', { hmac_key: 'short' })).statusCode, 400)
    })

    it('delivers subscribed events as {event, instance, data}, signed, verifiable by an independent HMAC', async () => {
      const user = await createUser(t, { name: 'signed' })
      const api = as(user.token)
      const key = 'k'.repeat(40)
      assert.equal((await api.post('/session/hmac/config', { hmac_key: key })).statusCode, 200)
      const hmac = (await api.get('/session/hmac/config')).json().data
      assert.equal(hmac.configured, true)
      assert.ok(!hmac.hmac_key.includes(key), 'the key is masked')
      await api.post('/webhook', { webhook: hook.url, events: ['Message'] })
      await append([
        {
          userId: user.id,
          type: 'Message',
          chat: 'a@s.whatsapp.net',
          id: `${user.id}:m1`,
          jid: '1@s.whatsapp.net',
          data: { text: 'one' },
        },
        { userId: user.id, type: 'Presence', chat: '', id: `${user.id}:p1`, data: {} },
        {
          userId: user.id,
          type: 'Message',
          chat: 'a@s.whatsapp.net',
          id: `${user.id}:m2`,
          data: { text: 'two' },
        },
      ])
      const calls = await eventually(
        'two calls',
        async () => (ofUser(user.id).length >= 2 ? ofUser(user.id) : undefined),
        10_000,
      )
      await new Promise((r) => setTimeout(r, 300))
      assert.deepEqual(
        ofUser(user.id).map((c) => [c.json.event, c.json.data.text]),
        [
          ['Message', 'one'],
          ['Message', 'two'],
        ],
        'Presence is not subscribed',
      )
      const first = calls[0]!
      assert.equal(first.json.instance, '1@s.whatsapp.net')
      assert.equal(first.json.id, `${user.id}:m1`)
      assert.equal(first.headers['x-hmac-signature'], await hmacHex(key, first.body))
      const t0 = Number(first.headers['x-zapwire-timestamp'])
      assert.ok(Math.abs(t0 - Date.now() / 1000) < 60)
      assert.equal(
        first.headers['x-zapwire-signature'],
        `t=${t0},v1=${await hmacHex(key, `${t0}.${first.body}`)}`,
      )
      // Counted per sink.
      const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body
      assert.match(
        metrics,
        new RegExp(`zapwire_deliveries_total\\{sink="webhook:${user.id}",transport="webhook"\\} 2`),
      )
      assert.match(metrics, /zapwire_delivery_duration_seconds_count\{transport="webhook"\}/)
      await api.delete('/webhook')
    })

    it('sends credentials in the URL as HTTP Basic authentication, keeps them encrypted and masked', async () => {
      const user = await createUser(t, { name: 'basic' })
      const api = as(user.token)
      const withCredentials = hook.url.replace('http://', 'http://n8n:p%40ss@')
      assert.equal((await api.post('/webhook', { webhook: withCredentials })).statusCode, 200)
      const basic = `Basic ${Buffer.from('n8n:p@ss').toString('base64')}`
      const masked = hook.url.replace('http://', 'http://n8n:***@')
      // Shown masked, stored encrypted: the password is in no column as plain text.
      assert.equal((await api.get('/webhook')).json().data.webhook, masked)
      const row = await db.db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow()
      assert.ok(!JSON.stringify(row).includes('p%40ss'), 'the password is not stored in plain text')
      assert.ok(!row.settings.includes('n8n'), 'the settings hold the URL without its credentials')
      await append([
        { userId: user.id, type: 'Message', chat: 'b@s.whatsapp.net', id: `${user.id}:b1`, data: {} },
      ])
      const [call] = await eventually(
        'the call',
        async () => (ofUser(user.id).length >= 1 ? ofUser(user.id) : undefined),
        10_000,
      )
      assert.equal(call!.headers.authorization, basic)
      // The masked URL sent back (a client saving what it read) keeps the password.
      assert.equal((await api.put('/webhook', { webhook: masked, events: ['All'] })).statusCode, 200)
      await append([
        { userId: user.id, type: 'Message', chat: 'b@s.whatsapp.net', id: `${user.id}:b2`, data: {} },
      ])
      const calls = await eventually(
        'the second call',
        async () => (ofUser(user.id).length >= 2 ? ofUser(user.id) : undefined),
        10_000,
      )
      assert.equal(calls[1]!.headers.authorization, basic)
      await api.delete('/webhook')
    })

    it('a receiver down for a while gets everything once up, in order per chat', async () => {
      const user = await createUser(t, { name: 'patient' })
      const api = as(user.token)
      await api.post('/webhook', { webhook: hook.url })
      let down = true
      hook.status = (call) => (down && call.body.includes(user.id) ? 503 : 200)
      const list: NewEvent[] = []
      for (let i = 0; i < 60; i++)
        list.push({
          userId: user.id,
          type: 'Message',
          chat: `chat${i % 3}`,
          id: `${user.id}:o${i}`,
          data: { n: i },
        })
      await append(list)
      await new Promise((r) => setTimeout(r, 400))
      assert.equal(ofUser(user.id).length, 0)
      down = false
      const calls = await eventually(
        'all 60',
        async () => (ofUser(user.id).length >= 60 ? ofUser(user.id) : undefined),
        20_000,
      )
      hook.status = () => 200
      const ids = calls.map((c) => c.json.id as string)
      assert.equal(new Set(ids).size, 60)
      for (let chat = 0; chat < 3; chat++) {
        const ns = calls.filter((c) => c.json.data.n % 3 === chat).map((c) => c.json.data.n as number)
        assert.deepEqual(
          ns,
          [...ns].sort((a, b) => a - b),
          `chat${chat} in order`,
        )
      }
      await api.delete('/webhook')
    })

    it('skip settings keep groups, own messages and calls from the webhook; echo and opt-out switches', async () => {
      const user = await createUser(t, { name: 'skipper' })
      const api = as(user.token)
      await api.post('/webhook', { webhook: hook.url })
      for (const route of ['skipgroups', 'skipownmessages']) {
        const res = await api.post(`/session/${route}/config`, { enabled: true })
        assert.equal(res.statusCode, 200, res.body)
      }
      const calls = await api.post('/session/skipcalls/config', { enabled: true, reject_type: 'declined' })
      assert.deepEqual(calls.json(), {
        Details: 'Skip calls configuration updated',
        SkipCalls: true,
        RejectMessage: 'Sorry, I cannot take calls at the moment.',
        RejectType: 'declined',
      })
      assert.equal((await api.get('/session/skipgroups/config')).json().UserSkipGroups, true)
      assert.equal(
        (await api.post('/session/skipcalls/config', { enabled: true, reject_type: 'rude' })).statusCode,
        400,
      )
      await append([
        {
          userId: user.id,
          type: 'Message',
          chat: '1203630@g.us',
          id: `${user.id}:s1`,
          data: { text: 'group' },
        },
        {
          userId: user.id,
          type: 'Message',
          chat: 'a@s.whatsapp.net',
          id: `${user.id}:s2`,
          data: { Info: { IsFromMe: true }, text: 'mine' },
        },
        { userId: user.id, type: 'CallOffer', chat: '', id: `${user.id}:s3`, data: {} },
        {
          userId: user.id,
          type: 'Message',
          chat: 'a@s.whatsapp.net',
          id: `${user.id}:s4`,
          data: { text: 'kept' },
        },
      ])
      await eventually(
        'the kept event',
        async () => ofUser(user.id).find((c) => c.json.id === `${user.id}:s4`),
        10_000,
      )
      await new Promise((r) => setTimeout(r, 300))
      assert.deepEqual(
        ofUser(user.id).map((c) => c.json.id),
        [`${user.id}:s4`],
      )
      // Echo of API sends, and opting out of global transports.
      assert.equal((await api.post('/session/echo/api', { enabled: true })).json().EchoAPIMessages, true)
      assert.equal((await api.get('/session/echo/api')).json().EchoAPIMessages, true)
      assert.equal((await api.post('/session/globaltransports/config', {})).statusCode, 400)
      const optOut = await api.post('/session/globaltransports/config', { skipGlobalRedis: true })
      assert.equal(optOut.statusCode, 200, optOut.body)
      assert.equal(optOut.json().data.skipGlobalRedis, true)
      assert.equal(optOut.json().data.skipGlobalWebhook, false)
      await api.delete('/webhook')
    })

    it('replays a user’s events from after a seq or from a time (POST /webhook/replay)', async () => {
      const user = await createUser(t, { name: 'replayer' })
      const api = as(user.token)
      assert.equal((await api.post('/webhook/replay', { after: 0 })).statusCode, 400, 'no webhook yet')
      await api.post('/webhook', { webhook: hook.url })
      await append(
        [1, 2, 3].map((n) => ({
          userId: user.id,
          type: 'Message',
          chat: 'r',
          id: `${user.id}:r${n}`,
          data: { n },
        })),
      )
      await eventually('three calls', async () => (ofUser(user.id).length >= 3 ? true : undefined), 10_000)
      const seqs = (await api.get('/events?limit=10')).json().data.events.map((e: { seq: number }) => e.seq)
      const res = await api.post('/webhook/replay', { after: seqs[0] })
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(res.json().data.after, seqs[0])
      await eventually('two more calls', async () => (ofUser(user.id).length >= 5 ? true : undefined), 10_000)
      assert.deepEqual(
        ofUser(user.id).map((c) => c.json.data.n),
        [1, 2, 3, 2, 3],
      )
      const future = await api.post('/webhook/replay', { since: new Date(Date.now() + 60_000).toISOString() })
      assert.equal(future.statusCode, 200, future.body)
      await new Promise((r) => setTimeout(r, 300))
      assert.equal(ofUser(user.id).length, 5)
      assert.equal((await api.post('/webhook/replay', {})).statusCode, 400)
      await api.delete('/webhook')
    })

    it('an endpoint that refuses goes to the DLQ; replayed, it is delivered; wuzapi-form bodies', async () => {
      const user = await createUser(t, { name: 'dead' })
      const api = as(user.token)
      await api.post('/webhook', { webhook: hook.url, format: 'wuzapi-form' })
      let refuse = true
      hook.status = (call) => (refuse && call.body.includes(user.id) ? 400 : 200)
      await append([
        { userId: user.id, type: 'Message', chat: 'x', id: `${user.id}:d1`, data: { text: 'dead' } },
      ])
      const dead = await eventually(
        'the DLQ entry',
        async () =>
          (await t.admin({ method: 'GET', url: `/admin/dlq?user_id=${user.id}` })).json().events?.[0] as
            | { id: number; attempts: number; event_type: string; payload: string; last_error: string }
            | undefined,
        10_000,
      )
      assert.equal(dead.event_type, 'Message')
      assert.equal(dead.attempts, 1, 'a 400 is not retried')
      assert.match(dead.last_error, /400/)
      assert.match(
        (await t.app.inject({ method: 'GET', url: '/metrics' })).body,
        /zapwire_dlq_depth\{transport="webhook"\} [1-9]/,
      )
      assert.equal(JSON.parse(dead.payload).id, `${user.id}:d1`)
      refuse = false
      const replay = await t.admin({ method: 'POST', url: '/admin/dlq/replay', payload: { id: dead.id } })
      assert.equal(replay.statusCode, 200, replay.body)
      const call = await eventually(
        'the replayed call',
        async () => hook.calls.find((c) => c.body.includes(encodeURIComponent(`${user.id}:d1`))),
        10_000,
      )
      assert.equal(call.headers['content-type'], 'application/x-www-form-urlencoded')
      const form = new URLSearchParams(call.body)
      const json = JSON.parse(form.get('jsonData')!)
      assert.equal(json.type, 'Message')
      assert.equal(json.event.text, 'dead')
      assert.equal(form.get('token'), user.token)
      hook.status = () => 200
      const archived = await eventually(
        'the archive entry',
        async () =>
          (await t.admin({ method: 'GET', url: `/admin/archive?status=success&user_id=${user.id}` })).json()
            .data?.[0] as { status: string; replay_count: number } | undefined,
        5_000,
      )
      assert.equal(archived.status, 'success')
      assert.equal(archived.replay_count, 1)
      await api.delete('/webhook')
    })
  })
}
