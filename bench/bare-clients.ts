// Baseline for bench/sessions.bench.ts: N bare Baileys clients with in-memory keys, paired with a
// running test network; prints one JSON line {clients, rssBeforeMb, rssAfterMb}.
import { pino } from 'pino'
import type { TestClient } from '../src/testnet/client.js'
import { linkOverHttp } from '../src/testnet/harness.js'

const [controlUrl, countText, prefix] = process.argv.slice(2)
const count = Number(countText)
const info = (await (await fetch(`${controlUrl}/info`)).json()) as { wsUrl: string; rootPublicKey: string }
global.gc?.()
const before = process.memoryUsage().rss
const clients: TestClient[] = []
for (let i = 0; i < count; i++) {
  const phone = `${prefix}${String(i).padStart(6, '0')}`
  const client = await linkOverHttp({ controlUrl: controlUrl!, ...info }, phone, pino({ level: 'silent' }))
  clients.push(client)
}
await new Promise((r) => setTimeout(r, 3_000))
global.gc?.()
process.stdout.write(
  `${JSON.stringify({ clients: clients.length, rssBeforeMb: before / 2 ** 20, rssAfterMb: process.memoryUsage().rss / 2 ** 20 })}\n`,
)
for (const c of clients) c.stop()
process.exit(0)
