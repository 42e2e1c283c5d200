import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import amqp from 'amqplib'
import { Redis } from 'ioredis'
import { AckPolicy, connect, type NatsConnection } from 'nats'
import { eventToRow, type NewEvent } from '../src/events/event.js'
import { type Database, openDatabase } from '../src/store/database.js'
import { EventsRepository } from '../src/store/events.repository.js'
import { eventually } from '../src/testnet/harness.js'
import { createUser, useApp } from './helpers/app.js'
import { DIALECTS } from './helpers/databases.js'

for (const dialect of DIALECTS) {
  describe(`${dialect}: global transports (webhook, RabbitMQ, Redis, NATS JetStream)`, () => {
    const tag = `zt${process.pid}${dialect}`
    const names = {
      redisKey: `${tag}:events`,
      natsSubject: `${tag}.events`,
      natsStream: `${tag.toUpperCase()}_EVENTS`,
      exchange: `${tag}.global`,
      queue: `${tag}.events`,
    }
    const calls: Record<string, unknown>[] = []
    const receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        calls.push(JSON.parse(Buffer.concat(chunks).toString()))
        res.writeHead(204).end()
      })
    })
    // No SQS server runs here: this one answers SendMessage as SQS does (JSON protocol), so the
    // real SDK is exercised up to the wire; it records each request.
    const sqsRequests: { target: string; authorization: string; body: Record<string, unknown> }[] = []
    const sqs = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { MessageBody: string }
        sqsRequests.push({
          target: String(req.headers['x-amz-target']),
          authorization: String(req.headers.authorization),
          body,
        })
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(
          JSON.stringify({
            MessageId: `m-${sqsRequests.length}`,
            MD5OfMessageBody: createHash('md5').update(body.MessageBody).digest('hex'),
          }),
        )
      })
    })
    const saved = { ...process.env }
    before(async () => {
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
      await new Promise<void>((resolve) => sqs.listen(0, '127.0.0.1', resolve))
      const sqsBase = `http://127.0.0.1:${(sqs.address() as AddressInfo).port}`
      Object.assign(process.env, {
        GLOBAL_WEBHOOK_ENABLED: 'true',
        GLOBAL_WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/global`,
        GLOBAL_WEBHOOK_EVENTS: 'Message',
        GLOBAL_RABBITMQ_ENABLED: 'true',
        GLOBAL_RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
        GLOBAL_RABBITMQ_EXCHANGE: names.exchange,
        GLOBAL_RABBITMQ_QUEUE: names.queue,
        GLOBAL_REDIS_ENABLED: 'true',
        GLOBAL_REDIS_URL: 'redis://127.0.0.1:6379',
        GLOBAL_REDIS_KEY: names.redisKey,
        GLOBAL_NATS_ENABLED: 'true',
        GLOBAL_NATS_URL: 'nats://127.0.0.1:4222',
        GLOBAL_NATS_SUBJECT: names.natsSubject,
        GLOBAL_NATS_STREAM: names.natsStream,
        GLOBAL_SQS_ENABLED: 'true',
        GLOBAL_SQS_URL: `${sqsBase}/000000000000/zapwire-events`,
        GLOBAL_SQS_ENDPOINT: sqsBase,
        GLOBAL_SQS_REGION: 'us-east-1',
        GLOBAL_SQS_ACCESS_KEY_ID: 'AKIDTEST',
        GLOBAL_SQS_SECRET_ACCESS_KEY: 'secret-test',
      })
    })
    const t = useApp(dialect)
    let db: Database
    let redis: Redis
    let nc: NatsConnection
    before(() => {
      db = openDatabase(t.database.url)
      redis = new Redis('redis://127.0.0.1:6379')
    })
    after(async () => {
      process.env = saved
      receiver.close()
      sqs.close()
      await db?.close()
      await redis?.del(names.redisKey)
      redis?.disconnect()
      if (nc) {
        const jsm = await nc.jetstreamManager()
        await jsm.streams.delete(names.natsStream).catch(() => undefined)
        await nc.close()
      }
      const conn = await amqp.connect('amqp://guest:guest@127.0.0.1:5672')
      const ch = await conn.createChannel()
      await ch.deleteQueue(names.queue)
      await ch.deleteExchange(names.exchange)
      await conn.close()
    })

    it('every user’s events reach every global transport; a user who opts out of one is skipped there', async () => {
      const a = await createUser(t, { name: 'Shop A' })
      const b = await createUser(t, { name: 'Shop B', globalTransportSkips: { skipGlobalWebhook: true } })
      const list: NewEvent[] = [
        { userId: a.id, type: 'Message', chat: 'x', id: `${a.id}:g1`, data: { text: 'from a' } },
        { userId: b.id, type: 'Message', chat: 'y', id: `${b.id}:g1`, data: { text: 'from b' } },
        { userId: a.id, type: 'Connected', chat: '', id: `${a.id}:c1`, data: {} },
      ]
      await new EventsRepository(db.db).append(list.map(eventToRow))

      // Global webhook: Messages only (GLOBAL_WEBHOOK_EVENTS), naming the user; B opted out.
      await eventually(
        'the global webhook call',
        async () => calls.find((c) => c.id === `${a.id}:g1`),
        10_000,
      )
      await new Promise((r) => setTimeout(r, 300))
      assert.deepEqual(
        calls.map((c) => c.id),
        [`${a.id}:g1`],
      )
      assert.equal(calls[0]!.userName, 'Shop A')
      assert.equal(calls[0]!.userToken, undefined, 'no token unless GLOBAL_WEBHOOK_INCLUDE_TOKEN')

      // Redis stream: all three, in order.
      const entries = await eventually(
        'the Redis stream',
        async () => {
          const e = await redis.xrange(names.redisKey, '-', '+')
          return e.length >= 3 ? e : undefined
        },
        10_000,
      )
      const ids = entries.map(([, fields]) => fields[fields.indexOf('id') + 1])
      assert.deepEqual(new Set(ids), new Set(list.map((e) => e.id)))
      const payload = JSON.parse(entries[0]![1][entries[0]![1].indexOf('payload') + 1]!)
      assert.equal(payload.event, 'Message')

      // RabbitMQ: the durable queue bound to the exchange holds all three.
      const conn = await amqp.connect('amqp://guest:guest@127.0.0.1:5672')
      try {
        const ch = await conn.createChannel()
        const got = await eventually(
          'the RabbitMQ messages',
          async () => {
            const q = await ch.checkQueue(names.queue)
            return q.messageCount >= 3 ? q : undefined
          },
          10_000,
        )
        assert.equal(got.messageCount, 3)
        const first = await ch.get(names.queue, { noAck: true })
        assert.ok(first)
        assert.equal(first.properties.messageId, `${a.id}:g1`)
        assert.equal(first.fields.routingKey, 'events.Message')
      } finally {
        await conn.close()
      }

      // NATS JetStream: a consumer on the stream reads all three, with their ids as message ids.
      nc = await connect({ servers: '127.0.0.1:4222' })
      const jsm = await nc.jetstreamManager()
      await eventually(
        'the JetStream messages',
        async () => ((await jsm.streams.info(names.natsStream)).state.messages >= 3 ? true : undefined),
        10_000,
      )
      await jsm.consumers.add(names.natsStream, { durable_name: 'test', ack_policy: AckPolicy.None })
      const consumer = await nc.jetstream().consumers.get(names.natsStream, 'test')
      const batch = await consumer.fetch({ max_messages: 3, expires: 2_000 })
      const seen: string[] = []
      for await (const m of batch) {
        seen.push(m.headers?.get('Nats-Msg-Id') ?? '')
        assert.ok(m.subject.startsWith(`${names.natsSubject}.`))
      }
      assert.deepEqual(new Set(seen), new Set(list.map((e) => e.id)))

      // SQS: three SendMessage calls, signed (SigV4) with the configured key.
      await eventually('the SQS sends', async () => (sqsRequests.length >= 3 ? true : undefined), 10_000)
      assert.ok(sqsRequests.every((r) => r.target === 'AmazonSQS.SendMessage'))
      assert.match(sqsRequests[0]!.authorization, /^AWS4-HMAC-SHA256 Credential=AKIDTEST\//)
      assert.deepEqual(
        new Set(sqsRequests.map((r) => JSON.parse(String(r.body.MessageBody)).id)),
        new Set(list.map((e) => e.id)),
      )

      // The admin sees the configuration, masked, and can reload it.
      const config = await t.admin({ method: 'GET', url: '/admin/global/config' })
      assert.equal(config.statusCode, 200, config.body)
      assert.equal(config.json().rabbitmq.url, 'amqp://guest:***@127.0.0.1:5672')
      const reload = await t.admin({ method: 'POST', url: '/admin/global/config/reload' })
      assert.equal(reload.statusCode, 200, reload.body)
      assert.equal(reload.json().success, true)
      // A test through every global transport, answered per transport.
      const test = await t.admin({ method: 'POST', url: '/admin/global/test' })
      assert.equal(test.statusCode, 200, test.body)
      assert.equal(config.json().sqs.secretAccessKey, '***')
      for (const transport of ['webhook', 'rabbitmq', 'redis', 'nats', 'sqs'])
        assert.deepEqual([transport, test.json()[transport].success], [transport, true])
      await eventually('the test call', async () => calls.find((c) => c.event === 'AdminTest'), 5_000)
      const custom = await t.admin({
        method: 'POST',
        url: '/admin/global/event/test',
        payload: { event_type: 'TestEvent', data: { hello: 'world' } },
      })
      assert.equal(custom.json().message, 'Test event dispatched to global systems')
      assert.equal(custom.json().success, true)
    })
  })
}
