import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import amqp from 'amqplib'
import { eventToRow } from '../src/events/event.js'
import { type Database, openDatabase } from '../src/store/database.js'
import { EventsRepository } from '../src/store/events.repository.js'
import { eventually } from '../src/testnet/harness.js'
import { createUser, useApp } from './helpers/app.js'
import { DIALECTS } from './helpers/databases.js'

const RABBIT = 'amqp://guest:guest@127.0.0.1:5672'

for (const dialect of DIALECTS) {
  describe(`${dialect}: a user's own RabbitMQ (/session/rabbitmq/*)`, () => {
    const tag = `zr${process.pid}${dialect}`
    const t = useApp(dialect)
    let db: Database
    const queues: string[] = []
    before(() => {
      db = openDatabase(t.database.url)
    })
    after(async () => {
      await db?.close()
      const conn = await amqp.connect(RABBIT)
      const ch = await conn.createChannel()
      for (const q of queues) await ch.deleteQueue(q)
      await ch.deleteExchange(`${tag}.ex`)
      await conn.close()
    })

    it('publishes the subscribed events into a queue per event type, with confirms; test, read, disable', async () => {
      const user = await createUser(t, { name: 'rabbit' })
      const headers = { token: user.token }
      const post = (url: string, payload?: object) =>
        t.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) })
      assert.equal(
        (await post('/session/rabbitmq/config', { enabled: true, url: 'http://nope' })).statusCode,
        400,
      )
      const set = await post('/session/rabbitmq/config', {
        enabled: true,
        url: RABBIT,
        exchange: `${tag}.ex`,
        queue: `${tag}_{user_id}_{event_type}`,
        routing_key: `${tag}.{user_id}.{event_type}`,
        events: 'Message',
        message_ttl: 600_000,
      })
      assert.equal(set.statusCode, 200, set.body)
      assert.deepEqual(set.json().data, {
        Details: 'RabbitMQ configuration saved successfully',
        Enabled: true,
      })
      const queue = `${tag}_${user.id}_Message`
      queues.push(queue)
      await new EventsRepository(db.db).append(
        [
          {
            userId: user.id,
            type: 'Message',
            chat: 'c',
            id: `${user.id}:q1`,
            data: { text: 'to the queue' },
          },
          { userId: user.id, type: 'Connected', chat: '', id: `${user.id}:q2`, data: {} },
        ].map(eventToRow),
      )
      const conn = await amqp.connect(RABBIT)
      try {
        // A check of a queue not declared yet closes its channel: a fresh channel per look.
        await eventually(
          'the queued message',
          async () => {
            const probe = await conn.createChannel()
            probe.on('error', () => undefined)
            const q = await probe.checkQueue(queue).catch(() => undefined)
            if (q) await probe.close()
            return q?.messageCount ? true : undefined
          },
          10_000,
        )
        const ch = await conn.createChannel()
        const got = await ch.get(queue, { noAck: true })
        assert.ok(got)
        assert.equal(got.properties.messageId, `${user.id}:q1`)
        assert.equal(got.fields.routingKey, `${tag}.${user.id}.Message`)
        assert.equal(JSON.parse(got.content.toString()).data.text, 'to the queue')
      } finally {
        await conn.close()
      }
      const read = await t.app.inject({ method: 'GET', url: '/session/rabbitmq/config', headers })
      assert.equal(read.statusCode, 200, read.body)
      assert.equal(read.json().data.config.url, 'amqp://guest:***@127.0.0.1:5672')
      assert.deepEqual(read.json().data.stats.active_queues, [queue])
      await eventually(
        'the archive count',
        async () =>
          (await t.app.inject({ method: 'GET', url: '/session/rabbitmq/config', headers })).json().data.stats
            .total_published === 1 || undefined,
        5_000,
      )
      const test = await post('/session/rabbitmq/test')
      assert.equal(test.statusCode, 200, test.body)
      assert.equal(test.json().data.Host, '127.0.0.1')
      const off = await t.app.inject({ method: 'DELETE', url: '/session/rabbitmq/config', headers })
      assert.equal(off.json().data.Enabled, false)
      // Removing the user completely also deletes its queues.
      const gone = await t.admin({ method: 'DELETE', url: `/admin/users/${user.id}/full` })
      assert.equal(gone.statusCode, 200, gone.body)
      const check = await amqp.connect(RABBIT)
      try {
        const ch = await check.createChannel()
        ch.on('error', () => undefined)
        await assert.rejects(ch.checkQueue(queue), /NOT_FOUND/)
      } finally {
        await check.close().catch(() => undefined)
      }
    })
  })
}
