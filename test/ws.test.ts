import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { WebSocket } from 'ws'
import { eventToRow, type NewEvent } from '../src/events/event.js'
import { type Database, openDatabase } from '../src/store/database.js'
import { EventsRepository } from '../src/store/events.repository.js'
import { eventually } from '../src/testnet/harness.js'
import { ADMIN_TOKEN, createUser, useApp } from './helpers/app.js'
import { DIALECTS } from './helpers/databases.js'

type Frame = { id: string; seq: number; event: string; userId: string; data: Record<string, unknown> }

/** Collects a socket's frames. */
function collect(ws: WebSocket): Frame[] {
  const frames: Frame[] = []
  ws.on('message', (data) => frames.push(JSON.parse(String(data))))
  return frames
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: the /ws event stream`, () => {
    const t = useApp(dialect)
    let db: Database
    before(() => {
      db = openDatabase(t.database.url)
    })
    after(() => db?.close())
    const append = (list: NewEvent[]) => new EventsRepository(db.db).append(list.map(eventToRow))

    it('streams a user’s own events live, replays after a seq, and every user’s to the admin', async () => {
      const a = await createUser(t, { name: 'ws a' })
      const b = await createUser(t, { name: 'ws b' })
      const mine = await t.app.injectWS(`/ws?token=${a.token}`)
      const all = await t.app.injectWS('/ws', { headers: { authorization: ADMIN_TOKEN } })
      const mineFrames = collect(mine)
      const allFrames = collect(all)
      await new Promise((r) => setTimeout(r, 100))
      await append([
        { userId: a.id, type: 'Message', chat: 'x', id: `${a.id}:w1`, data: { text: 'one' } },
        { userId: b.id, type: 'Message', chat: 'y', id: `${b.id}:w1`, data: { text: 'other' } },
        { userId: a.id, type: 'Message', chat: 'x', id: `${a.id}:w2`, data: { text: 'two' } },
      ])
      await eventually('A’s two events', async () => (mineFrames.length >= 2 ? true : undefined), 5_000)
      await eventually(
        'all three to the admin',
        async () => (allFrames.length >= 3 ? true : undefined),
        5_000,
      )
      await new Promise((r) => setTimeout(r, 200))
      assert.deepEqual(
        mineFrames.map((f) => f.id),
        [`${a.id}:w1`, `${a.id}:w2`],
      )
      assert.deepEqual(
        allFrames.map((f) => f.id),
        [`${a.id}:w1`, `${b.id}:w1`, `${a.id}:w2`],
      )
      mine.terminate()
      all.terminate()
      // A client that reconnects with the last seq it saw gets what came after.
      let replayed: Frame[] = []
      const again = await t.app.injectWS(
        `/ws?token=${a.token}&after=${mineFrames[0]!.seq}`,
        {},
        {
          onInit: (ws) => {
            replayed = collect(ws)
          },
        },
      )
      await eventually('the replay', async () => (replayed.length >= 1 ? true : undefined), 5_000)
      assert.equal(replayed[0]!.id, `${a.id}:w2`)
      again.terminate()
      // A bad token is closed with 4401.
      const refused = await t.app.injectWS('/ws?token=nope')
      const code = await new Promise<number>((resolve) => refused.on('close', (c) => resolve(c)))
      assert.equal(code, 4401)
    })
  })
}
