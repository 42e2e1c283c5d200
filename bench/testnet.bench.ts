// Test network benchmark: time to pair 50 clients, 1:1 messages/s relayed between two clients,
// and the network process's RSS with 200 linked clients (against its RSS when idle, same run).
// The network runs as its own process (`zapwire testnet`); the clients run here.
// Run with `npx tsx bench/testnet.bench.ts` after `npm run build`.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import fs from 'node:fs'
import { createInterface } from 'node:readline'
import { pino } from 'pino'
import { type TestClient, textOf } from '../src/testnet/client.js'
import { linkOverHttp } from '../src/testnet/harness.js'

const TOTAL = Number(process.env.BENCH_CLIENTS ?? 200)
const PAIR = 50
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1000)
const log = pino({ level: 'silent' })

const child = spawn(process.execPath, ['dist/cli.js', 'testnet'], {
  env: { ...process.env, ZAPWIRE_LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'pipe', 'inherit'],
})
const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string]
const info = JSON.parse(line) as { wsUrl: string; controlUrl: string; rootPublicKey: string }
const rssMb = () => {
  const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
}
const pair = (phone: string) => linkOverHttp(info, phone, log)

async function pairMany(phones: string[], concurrency: number): Promise<TestClient[]> {
  const clients = new Map<string, TestClient>()
  const queue = [...phones]
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let phone = queue.shift(); phone; phone = queue.shift()) clients.set(phone, await pair(phone))
    }),
  )
  return phones.map((phone) => clients.get(phone)!)
}

const phones = Array.from({ length: TOTAL }, (_, i) => `55119${String(i).padStart(8, '0')}`)
const idleRss = rssMb()
try {
  let started = performance.now()
  const first = await pairMany(phones.slice(0, PAIR), 10)
  const pairSeconds = (performance.now() - started) / 1000
  console.log(
    `pair ${PAIR} clients (10 at a time): ${pairSeconds.toFixed(1)} s, ${(PAIR / pairSeconds).toFixed(1)} pairs/s`,
  )

  const [alice, bob] = first as [TestClient, TestClient]
  const bobJid = `${phones[1]}@s.whatsapp.net`
  await alice.socket!.sendMessage(bobJid, { text: 'warm-up' }) // sessions established before timing
  await bob.waitFor('messages.upsert', (u) => u.messages.some((m) => textOf(m) === 'warm-up'))
  let received = 0
  const all = new Promise<void>((resolve) =>
    bob.on('messages.upsert', (u: { messages: { key: { fromMe?: boolean | null } }[] }) => {
      received += u.messages.filter((m) => !m.key.fromMe).length
      if (received >= MESSAGES) resolve()
    }),
  )
  started = performance.now()
  for (let i = 0; i < MESSAGES; i += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, MESSAGES - i) }, (_, j) =>
        alice.socket!.sendMessage(bobJid, { text: `m${i + j}` }),
      ),
    )
  }
  await all
  const seconds = (performance.now() - started) / 1000
  console.log(
    `1:1 text, Baileys client to Baileys client through the network: ${MESSAGES} in ${seconds.toFixed(2)} s, ${(MESSAGES / seconds).toFixed(0)} msg/s`,
  )

  const rest = await pairMany(phones.slice(PAIR), 10)
  await new Promise((r) => setTimeout(r, 2000))
  const loaded = rssMb()
  console.log(
    `network RSS: ${idleRss.toFixed(0)} MB idle, ${loaded.toFixed(0)} MB with ${first.length + rest.length} linked clients ` +
      `(${((loaded - idleRss) / (first.length + rest.length)).toFixed(2)} MB per client)`,
  )
  for (const client of [...first, ...rest]) client.stop()
} finally {
  child.kill('SIGTERM')
}
process.exit(0)
