// Baseline for bench/sessions.bench.ts: N bare Baileys clients with in-memory keys, paired with a
// running test network; then all stopped and logged in again with their saved credentials,
// `concurrency` at a time. Prints one JSON line {clients, rssBeforeMb, rssAfterMb, restoreSeconds}.
import { pino } from 'pino'
import { TestClient } from '../src/testnet/client.js'
import { linkOverHttp } from '../src/testnet/harness.js'

const [controlUrl, countText, prefix, concurrencyText] = process.argv.slice(2)
const count = Number(countText)
const concurrency = Number(concurrencyText ?? 10)
const info = (await (await fetch(`${controlUrl}/info`)).json()) as { wsUrl: string; rootPublicKey: string }
const logger = pino({ level: 'silent' })
global.gc?.()
const before = process.memoryUsage().rss
const clients: TestClient[] = []
for (let i = 0; i < count; i++) {
  const phone = `${prefix}${String(i).padStart(6, '0')}`
  clients.push(await linkOverHttp({ controlUrl: controlUrl!, ...info }, phone, logger))
}
await new Promise((r) => setTimeout(r, 3_000))
global.gc?.()
const after = process.memoryUsage().rss

for (const c of clients) c.stop()
await new Promise((r) => setTimeout(r, 1_000))
const queue = clients.map((c) => c.auth)
const started = performance.now()
const again: TestClient[] = []
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    for (let auth = queue.shift(); auth; auth = queue.shift()) {
      const client = new TestClient({
        wsUrl: info.wsUrl,
        rootPublicKey: Buffer.from(info.rootPublicKey, 'base64'),
        logger,
        skipHistorySync: true,
        auth,
      })
      const open = client.waitFor('connection.update', (u) => u.connection === 'open', 60_000)
      client.start()
      await open
      again.push(client)
    }
  }),
)
const restoreSeconds = (performance.now() - started) / 1000
process.stdout.write(
  `${JSON.stringify({ clients: clients.length, rssBeforeMb: before / 2 ** 20, rssAfterMb: after / 2 ** 20, restoreSeconds })}\n`,
)
for (const c of again) c.stop()
process.exit(0)
