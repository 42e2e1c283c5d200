import assert from 'node:assert/strict'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { eventToRow, type NewEvent } from '../src/events/event.js'
import { openDatabase } from '../src/store/database.js'
import { EventsRepository } from '../src/store/events.repository.js'
import { eventually } from '../src/testnet/harness.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from './helpers/databases.js'
import { startServer } from './helpers/process.js'

const ADMIN = 'crash-admin-token-0123456789'
const EVENTS = 10_000
const CHATS = 20

for (const dialect of DIALECTS) {
  describe(`${dialect}: delivery survives kill -9`, () => {
    let database: TestDatabase
    let dataDir = ''
    const received: { id: string; chat: string; n: number }[] = []
    const receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as {
          id: string
          data: { chat: string; n: number }
        }
        received.push({ id: body.id, chat: body.data.chat, n: body.data.n })
        res.writeHead(204).end()
      })
    })
    before(async () => {
      database = await createTestDatabase(dialect)
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zapwire-crash-'))
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    })
    after(async () => {
      receiver.close()
      await database?.drop()
      fs.rmSync(dataDir, { recursive: true, force: true })
    })

    it(`kill -9 while delivering ${EVENTS} events, start again: every event arrives, in order per chat`, async (t) => {
      const env = {
        DATABASE_URL: database.url,
        ZAPWIRE_DATA_DIR: dataDir,
        ZAPWIRE_ADMIN_TOKEN: ADMIN,
        // The killed process's sink lease lapses after this (then the new one delivers).
        ZAPWIRE_SESSION_LEASE_MS: '3000',
        // startServer waits for Fastify's info line.
        ZAPWIRE_LOG_LEVEL: 'info',
      }
      let server = await startServer(env)
      const call = async (url: string, headers: Record<string, string>, body: unknown) => {
        const res = await fetch(`${server.url}${url}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        })
        assert.ok(res.ok, `${url}: ${res.status} ${await res.clone().text()}`)
        return (await res.json()) as { data: Record<string, string> }
      }
      const user = (await call('/admin/users', { authorization: ADMIN }, { name: 'crash' })).data
      const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
      await call('/webhook', { token: user.token! }, { webhook: hook })

      // The events are written into the outbox as the gateway's services (or another process) do.
      const db = openDatabase(database.url)
      const list: NewEvent[] = []
      for (let n = 0; n < EVENTS; n++) {
        const chat = `chat${n % CHATS}@s.whatsapp.net`
        list.push({ userId: user.id!, type: 'Message', chat, id: `crash-${n}`, data: { chat, n } })
      }
      const repo = new EventsRepository(db.db)
      for (let i = 0; i < list.length; i += 500) await repo.append(list.slice(i, i + 500).map(eventToRow))
      await db.close()

      await eventually('a third delivered', async () => received.length >= EVENTS / 3 || undefined, 60_000)
      await server.stop('SIGKILL')
      const atKill = received.length
      server = await startServer(env)
      try {
        const ids = await eventually(
          'every event',
          async () => {
            const unique = new Set(received.map((r) => r.id))
            return unique.size >= EVENTS ? unique : undefined
          },
          120_000,
        )
        assert.equal(ids.size, EVENTS)
        for (let n = 0; n < EVENTS; n++) assert.ok(ids.has(`crash-${n}`), `crash-${n} arrived`)
        // Per chat, first arrivals are in order; repeats are only of what was in flight at the kill.
        const seen = new Set<string>()
        const last = new Map<string, number>()
        for (const r of received) {
          if (seen.has(r.id)) continue
          seen.add(r.id)
          assert.ok((last.get(r.chat) ?? -1) < r.n, `${r.chat}: ${r.n} after ${last.get(r.chat)}`)
          last.set(r.chat, r.n)
        }
        const duplicates = received.length - EVENTS
        t.diagnostic(`delivered ${atKill} before the kill; ${duplicates} duplicates after the restart`)
        assert.ok(duplicates < atKill, `${duplicates} duplicates`)
      } finally {
        await server.stop()
      }
    })

    it('two gateways on one database: each sink is delivered by one of them, each event once', async () => {
      received.length = 0
      const env = {
        DATABASE_URL: database.url,
        ZAPWIRE_DATA_DIR: dataDir,
        ZAPWIRE_ADMIN_TOKEN: ADMIN,
        ZAPWIRE_LOG_LEVEL: 'info',
        ZAPWIRE_SESSION_LEASE_MS: '3000',
      }
      const [a, b] = await Promise.all([startServer(env), startServer(env)])
      try {
        const call = async (url: string, headers: Record<string, string>, body: unknown) => {
          const res = await fetch(`${a.url}${url}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body: JSON.stringify(body),
          })
          assert.ok(res.ok, `${url}: ${res.status}`)
          return (await res.json()) as { data: Record<string, string> }
        }
        const user = (await call('/admin/users', { authorization: ADMIN }, { name: 'twice' })).data
        const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
        await call('/webhook', { token: user.token! }, { webhook: hook })
        // The other gateway learns of the new webhook within five seconds.
        await new Promise((r) => setTimeout(r, 6_000))
        const db = openDatabase(database.url)
        const list: NewEvent[] = []
        for (let n = 0; n < 1_000; n++) {
          const chat = `chat${n % 10}@s.whatsapp.net`
          list.push({ userId: user.id!, type: 'Message', chat, id: `twice-${n}`, data: { chat, n } })
        }
        await new EventsRepository(db.db).append(list.map(eventToRow))
        await db.close()
        await eventually(
          'every event',
          async () => (new Set(received.map((r) => r.id)).size >= 1_000 ? true : undefined),
          60_000,
        )
        await new Promise((r) => setTimeout(r, 1_000))
        assert.equal(received.length, 1_000, 'no event delivered by both')
      } finally {
        await Promise.all([a.stop(), b.stop()])
      }
    })
  })
}
