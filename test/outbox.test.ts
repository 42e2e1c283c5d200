import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { useContext } from './helpers/context.js'
import { DIALECTS } from './helpers/databases.js'

for (const dialect of DIALECTS) {
  describe(`${dialect}: outbox`, () => {
    const t = useContext(dialect)
    const services = () => t.context.services

    it('appends once per id, in order, and reads from a cursor, a time and by type', async () => {
      const { outbox, users } = services()
      const a = await users.create({ name: 'A' })
      const b = await users.create({ name: 'B' })
      let heard = 0
      const stop = outbox.onAppend(() => heard++)
      await outbox.append([
        { id: 'm1', userId: a.id, type: 'Message', chat: 'x@s.whatsapp.net', data: { n: 1 } },
        { userId: a.id, type: 'Connected', jid: '1:1@s.whatsapp.net', lid: '9:1@lid', data: {} },
        { userId: b.id, type: 'Connected', data: {} },
      ])
      // A re-emitted event with a known id is not written again, even inside a transaction.
      await t.context.database.db.transaction().execute(async (tx) => {
        await outbox.append([{ id: 'm1', userId: a.id, type: 'Message', data: { n: 2 } }], tx)
      })
      stop()
      assert.equal(heard, 1)
      const mine = await outbox.list({ userId: a.id, limit: 10 })
      assert.deepEqual(
        mine.map((e) => [e.id === 'm1' ? 'm1' : 'uuid', e.type, e.data]),
        [
          ['m1', 'Message', { n: 1 }],
          ['uuid', 'Connected', {}],
        ],
      )
      assert.equal(mine[0]!.chat, 'x@s.whatsapp.net')
      assert.equal(mine[1]!.jid, '1:1@s.whatsapp.net')
      assert.equal(mine[1]!.lid, '9:1@lid')
      assert.ok(mine[0]!.seq < mine[1]!.seq)
      assert.deepEqual(
        (await outbox.list({ userId: a.id, afterSeq: mine[0]!.seq, limit: 10 })).map((e) => e.type),
        ['Connected'],
      )
      assert.equal((await outbox.list({ userId: a.id, types: ['Message'], limit: 10 })).length, 1)
      assert.equal(
        (await outbox.list({ userId: a.id, since: new Date(Date.now() + 60_000).toISOString(), limit: 10 }))
          .length,
        0,
      )
      assert.equal((await outbox.list({ limit: 10 })).length, 3)
    })

    it('prunes what is older than the retention, and a deleted user takes its events along', async () => {
      const { outbox, users } = services()
      const c = await users.create({ name: 'C' })
      const old = new Date(Date.now() - 8 * 86_400_000)
      await outbox.append([
        { userId: c.id, type: 'Connected', at: old, data: {} },
        { userId: c.id, type: 'Disconnected', data: {} },
      ])
      assert.ok((await outbox.prune()) >= 1)
      assert.deepEqual(
        (await outbox.list({ userId: c.id, limit: 10 })).map((e) => e.type),
        ['Disconnected'],
      )
      await users.delete(c.id)
      assert.deepEqual(await outbox.list({ userId: c.id, limit: 10 }), [])
    })
  })
}
