// Event delivery benchmark. 1) Events/s from the outbox to a local webhook receiver, on SQLite
// and on PostgreSQL, against a raw undici POST loop (same concurrency) to the same receiver in the
// same run. 2) Inbound message → webhook latency (p50/p99) at BENCH_RATE (100) messages/s:
// BENCH_SENDERS (10) virtual contacts on the test network send in turn to a gateway session whose
// webhook is the receiver.
// `npm run build` first. BENCH_EVENTS (default 5000) sets the event count.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import pg from 'pg'
import { Agent, request } from 'undici'
import { eventToRow, type NewEvent } from '../src/events/event.js'
import { openDatabase } from '../src/store/database.js'
import { EventsRepository } from '../src/store/events.repository.js'

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5_000)
const RATE = Number(process.env.BENCH_RATE ?? 100)
const LATENCY_MESSAGES = Number(process.env.BENCH_LATENCY_MESSAGES ?? 1_000)
const SENDERS = Number(process.env.BENCH_SENDERS ?? 10)
const CONCURRENCY = 16
const ADMIN = 'bench-admin-token-0123456789'
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0

// The receiver: counts calls; `onCall` sees each parsed body.
let onCall: (body: { id: string; event: string; data: Record<string, unknown> }) => void = () => undefined
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    onCall(JSON.parse(Buffer.concat(chunks).toString()))
    res.writeHead(204).end()
  })
})
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`

async function rawLoop(n: number): Promise<number> {
  const agent = new Agent({ connections: 64 })
  const body = JSON.stringify({ event: 'Message', instance: 'x', data: { text: 'x'.repeat(200) } })
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) {
        next++
        const res = await request(hook, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json' },
          dispatcher: agent,
        })
        await res.body.dump()
      }
    }),
  )
  await agent.close()
  return n / ((performance.now() - started) / 1000)
}

function startGateway(env: Record<string, string>) {
  const port = 19000 + Math.floor(Math.random() * 1000)
  // BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the gateway.
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []
  const child = spawn(process.execPath, [...nodeArgs, 'dist/cli.js', 'serve'], {
    env: {
      ...process.env,
      ZAPWIRE_PORT: String(port),
      ZAPWIRE_HOST: '127.0.0.1',
      ZAPWIRE_ADMIN_TOKEN: ADMIN,
      ZAPWIRE_LOG_LEVEL: 'warn',
      ZAPWIRE_DELIVERY_CONCURRENCY: String(CONCURRENCY),
      ...env,
    },
    stdio: 'ignore',
  })
  const base = `http://127.0.0.1:${port}`
  const api = async (method: string, url: string, headers: Record<string, string>, body?: unknown) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
    const json = (await res.json()) as { data: Record<string, unknown> }
    if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(json)}`)
    return json
  }
  const ready = async () => {
    for (;;) {
      if (
        await fetch(`${base}/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  return { child, api, ready }
}

async function outboxRun(label: string, databaseUrl: string, dataDir: string) {
  const gw = startGateway({ DATABASE_URL: databaseUrl, ZAPWIRE_DATA_DIR: dataDir })
  try {
    await gw.ready()
    const user = (await gw.api('POST', '/admin/users', { authorization: ADMIN }, { name: 'bench' })).data
    await gw.api('POST', '/webhook', { token: user.token as string }, { webhook: hook })
    const list: NewEvent[] = []
    for (let n = 0; n < EVENTS; n++) {
      const chat = `chat${n % 50}@s.whatsapp.net`
      list.push({
        userId: user.id as string,
        type: 'Message',
        chat,
        id: `b-${label}-${n}`,
        data: { chat, n, text: 'x'.repeat(200) },
      })
    }
    let got = 0
    let done: () => void = () => undefined
    const all = new Promise<void>((resolve) => {
      done = resolve
    })
    onCall = () => {
      if (++got >= EVENTS) done()
    }
    const db = openDatabase(databaseUrl)
    const repo = new EventsRepository(db.db)
    const started = performance.now()
    for (let i = 0; i < list.length; i += 500) await repo.append(list.slice(i, i + 500).map(eventToRow))
    await all
    const rate = EVENTS / ((performance.now() - started) / 1000)
    await db.close()
    return rate
  } finally {
    gw.child.kill('SIGTERM')
    await once(gw.child, 'exit')
  }
}

const dirs: string[] = []
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'zapwire-bench-delivery-'))
  dirs.push(d)
  return d
}
try {
  // 1) Outbox → webhook, against the raw loop measured in the same run.
  await rawLoop(500) // warm-up
  const raw = await rawLoop(EVENTS)
  const sqliteDir = tmp()
  const sqlite = await outboxRun('sqlite', `sqlite:${path.join(sqliteDir, 'zapwire.db')}`, sqliteDir)
  const pgName = `zapwire_bench_${process.pid}`
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${pgName}`)
  let postgres = 0
  try {
    postgres = await outboxRun('pg', `postgres://postgres@127.0.0.1:5432/${pgName}`, tmp())
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`)
    await admin.end()
  }
  console.log(
    `outbox → webhook, ${EVENTS} events, ${CONCURRENCY} in flight: raw undici POST loop ${raw.toFixed(0)}/s; Zapwire on SQLite ${sqlite.toFixed(0)}/s (ratio ${(sqlite / raw).toFixed(2)}), on PostgreSQL ${postgres.toFixed(0)}/s (ratio ${(postgres / raw).toFixed(2)})`,
  )

  // 2) Inbound message → webhook latency on the test network.
  const netArgs = process.env.BENCH_TESTNET_NODE_ARGS?.split(' ').filter(Boolean) ?? []
  const net = spawn(process.execPath, [...netArgs, 'dist/cli.js', 'testnet'], {
    env: { ...process.env, ZAPWIRE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  const [line] = (await once(createInterface({ input: net.stdout! }), 'line')) as [string]
  const info = JSON.parse(line) as { controlUrl: string }
  // The harness shares the machine's cores with the gateway: its calls to the network go through
  // one keep-alive undici agent (fetch costs several times more per call).
  const controlAgent = new Agent({ connections: 256 })
  const control = async (url: string, body: unknown) => {
    const res = await request(`${info.controlUrl}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      dispatcher: controlAgent,
    })
    return (await res.body.json()) as Record<string, unknown>
  }
  const dir = tmp()
  const gw = startGateway({ ZAPWIRE_DATA_DIR: dir, ZAPWIRE_TESTNET: info.controlUrl })
  try {
    await gw.ready()
    const phone = '5532900000001'
    // Inbound traffic comes from many contacts (a single contact's own client, which encrypts
    // one message at a time, would be what limits the rate).
    const senders = Array.from({ length: SENDERS }, (_, i) => `55329000001${String(i).padStart(2, '0')}`)
    await control('/accounts', { phone, virtual: false })
    for (const sender of senders) await control('/accounts', { phone: sender, name: `Sender ${sender}` })
    const token = (await gw.api('POST', '/admin/users', { authorization: ADMIN }, { name: 'latency' })).data
      .token as string
    await gw.api('POST', '/webhook', { token }, { webhook: hook, events: ['Message'] })
    await gw.api('POST', '/session/connect', { token }, { Immediate: false })
    const qr = (await gw.api('GET', '/session/status', { token })).data.qrcode_text
    await control(`/accounts/${phone}/link`, { qr })
    while ((await gw.api('GET', '/session/status', { token })).data.state !== 'connected')
      await new Promise((r) => setTimeout(r, 100))
    const sentAt = new Map<string, number>()
    const latencies: number[] = []
    onCall = (body) => {
      const text = String(body.data.text ?? '')
      const t0 = sentAt.get(text)
      if (t0 !== undefined) latencies.push(performance.now() - t0)
    }
    const to = `${phone}@s.whatsapp.net`
    for (const sender of senders) await control(`/accounts/${sender}/messages`, { to, text: 'warm-up' })
    await new Promise((r) => setTimeout(r, 2_000))
    const started = performance.now()
    for (let n = 0; n < LATENCY_MESSAGES; n++) {
      const due = started + (n * 1000) / RATE
      const wait = due - performance.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      const text = `latency ${n}`
      sentAt.set(text, performance.now())
      void control(`/accounts/${senders[n % SENDERS]}/messages`, { to, text })
    }
    const until = Date.now() + 30_000
    while (latencies.length < LATENCY_MESSAGES && Date.now() < until)
      await new Promise((r) => setTimeout(r, 100))
    const sorted = [...latencies].sort((a, b) => a - b)
    console.log(
      `inbound message → webhook at ${RATE} msg/s (${latencies.length}/${LATENCY_MESSAGES} arrived): p50 ${pct(sorted, 0.5).toFixed(1)} ms, p99 ${pct(sorted, 0.99).toFixed(1)} ms (from the contact's send request, through its Baileys client, the network, the gateway's engine, store, outbox and dispatcher)`,
    )
  } finally {
    gw.child.kill('SIGTERM')
    net.kill('SIGTERM')
    await Promise.all([once(gw.child, 'exit'), once(net, 'exit')])
  }
} finally {
  receiver.close()
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
}
process.exit(0)
