// Messaging benchmark against the test network: /chat/send/text throughput and latency with 1
// and 20 sessions, against bare Baileys clients sending the same in the same run; and the RSS
// growth of one gateway session after receiving BENCH_RECEIVE (10,000) messages.
// `npm run build` first. BENCH_MESSAGES (default 300 per session) sets the send count.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { pino } from 'pino'
import type { TestClient } from '../src/testnet/client.js'
import { linkOverHttp } from '../src/testnet/harness.js'

const PER_SESSION = Number(process.env.BENCH_MESSAGES ?? 300)
const RECEIVE = Number(process.env.BENCH_RECEIVE ?? 10_000)
const SESSIONS = 20
const ADMIN = 'bench-admin-token-0123456789'
const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0
const summary = (label: string, latencies: number[], seconds: number) => {
  const sorted = [...latencies].sort((a, b) => a - b)
  return `${label}: ${(latencies.length / seconds).toFixed(0)} msg/s, p50 ${pct(sorted, 0.5).toFixed(1)} ms, p99 ${pct(sorted, 0.99).toFixed(1)} ms`
}

const net = spawn(process.execPath, ['dist/cli.js', 'testnet'], {
  env: { ...process.env, ZAPWIRE_LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'pipe', 'inherit'],
})
const [line] = (await once(createInterface({ input: net.stdout! }), 'line')) as [string]
const info = JSON.parse(line) as { controlUrl: string; wsUrl: string; rootPublicKey: string }
const control = async (url: string, body: unknown) =>
  (await (
    await fetch(`${info.controlUrl}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  ).json()) as Record<string, unknown>
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zapwire-bench-messaging-'))
const port = 19000 + Math.floor(Math.random() * 1000)
const base = `http://127.0.0.1:${port}`
const gateway = spawn(process.execPath, ['dist/cli.js', 'serve'], {
  env: {
    ...process.env,
    ZAPWIRE_DATA_DIR: dataDir,
    ZAPWIRE_PORT: String(port),
    ZAPWIRE_HOST: '127.0.0.1',
    ZAPWIRE_ADMIN_TOKEN: ADMIN,
    ZAPWIRE_TESTNET: info.controlUrl,
    ZAPWIRE_LOG_LEVEL: 'warn',
  },
  stdio: 'ignore',
})
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

try {
  for (;;) {
    if (
      await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break
    await new Promise((r) => setTimeout(r, 50))
  }
  const receiver = '5531900000001'
  await control('/accounts', { phone: receiver, name: 'Receiver' })
  const tokens: string[] = []
  for (let i = 0; i < SESSIONS; i++) {
    const phone = `55319${String(i + 10).padStart(6, '0')}`
    await control('/accounts', { phone, virtual: false })
    const token = (await api('POST', '/admin/users', { authorization: ADMIN }, { name: phone, history: 0 }))
      .data.token as string
    await api('POST', '/session/connect', { token }, { Immediate: false })
    const qr = (await api('GET', '/session/status', { token })).data.qrcode_text
    await control(`/accounts/${phone}/link`, { qr })
    tokens.push(token)
  }
  for (const token of tokens)
    while ((await api('GET', '/session/status', { token })).data.state !== 'connected')
      await new Promise((r) => setTimeout(r, 100))

  // Baseline: bare Baileys clients in this process send the same texts to the same receiver.
  const bare: TestClient[] = []
  for (let i = 0; i < SESSIONS; i++)
    bare.push(await linkOverHttp(info, `55318${String(i + 10).padStart(6, '0')}`, pino({ level: 'silent' })))
  const to = `${receiver}@s.whatsapp.net`
  const run = async (senders: number, send: (i: number, n: number) => Promise<unknown>) => {
    const latencies: number[] = []
    const started = performance.now()
    await Promise.all(
      Array.from({ length: senders }, async (_, i) => {
        for (let n = 0; n < PER_SESSION; n++) {
          const t0 = performance.now()
          await send(i, n)
          latencies.push(performance.now() - t0)
        }
      }),
    )
    return { latencies, seconds: (performance.now() - started) / 1000 }
  }
  const viaBare = (i: number, n: number) => bare[i]!.socket!.sendMessage(to, { text: `bare ${i} ${n}` })
  const viaGateway = (i: number, n: number) =>
    api('POST', '/chat/send/text', { token: tokens[i]! }, { Phone: receiver, Body: `zapwire ${i} ${n}` })
  await run(1, viaGateway) // warm-up: sessions and Signal sessions with the receiver
  await run(SESSIONS, (i, n) => (i === 0 ? Promise.resolve() : viaGateway(i, n)))
  await run(SESSIONS, viaBare)
  for (const senders of [1, SESSIONS]) {
    const b = await run(senders, viaBare)
    const g = await run(senders, viaGateway)
    console.log(
      `${summary(`send, ${senders} session(s), Zapwire /chat/send/text`, g.latencies, g.seconds)}; ${summary('bare Baileys sendMessage', b.latencies, b.seconds)}; throughput ratio ${(b.seconds / g.seconds).toFixed(2)}`,
    )
  }
  for (const c of bare) c.stop()

  // Receiving: the receiver sends RECEIVE texts to session 0; RSS of the gateway before and after.
  const target = `55319${String(10).padStart(6, '0')}@s.whatsapp.net`
  await new Promise((r) => setTimeout(r, 3_000))
  const before = rssMb(gateway.pid!)
  const started = performance.now()
  let next = 0
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < RECEIVE) {
        const n = next++
        await control(`/accounts/${receiver}/messages`, { to: target, text: `incoming ${n}` })
      }
    }),
  )
  // Every message stored and reported: count the Message events from the receiver.
  let seen = 0
  let cursor = 0
  while (seen < RECEIVE) {
    const page = (await api('GET', `/events?type=Message&limit=1000&after=${cursor}`, { token: tokens[0]! }))
      .data as unknown as { events: { seq: number; data: { text: string } }[] }
    for (const e of page.events) if (e.data.text.startsWith('incoming ')) seen++
    cursor = page.events.at(-1)?.seq ?? cursor
    if (page.events.length < 1000) await new Promise((r) => setTimeout(r, 200))
  }
  const receiveSeconds = (performance.now() - started) / 1000
  await new Promise((r) => setTimeout(r, 10_000))
  const after = rssMb(gateway.pid!)
  console.log(
    `receive ${RECEIVE} messages into one session: ${(RECEIVE / receiveSeconds).toFixed(0)} msg/s end to end (contact's Baileys → network → gateway → store + outbox); gateway RSS ${before.toFixed(0)} → ${after.toFixed(0)} MB (+${(after - before).toFixed(1)} MB)`,
  )
} finally {
  gateway.kill('SIGTERM')
  net.kill('SIGTERM')
  await once(gateway, 'exit').catch(() => undefined)
  fs.rmSync(dataDir, { recursive: true, force: true })
}
process.exit(0)
