// Memory of one session receiving many messages: the gateway runs in this process (run with
// `node --expose-gc --import tsx`), the test network in another. Prints heap and RSS after a
// forced GC, before and after BENCH_RECEIVE (10,000) messages, after a warm-up of 500.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { loadConfig } from '../src/config/config.js'
import { buildApp } from '../src/server/app.js'

const RECEIVE = Number(process.env.BENCH_RECEIVE ?? 10_000)
const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with node --expose-gc --import tsx')

const net = spawn(process.execPath, ['dist/cli.js', 'testnet'], {
  env: { ...process.env, ZAPWIRE_LOG_LEVEL: 'error' },
  stdio: ['ignore', 'pipe', 'ignore'],
})
const [line] = (await once(createInterface({ input: net.stdout! }), 'line')) as [string]
const { controlUrl } = JSON.parse(line) as { controlUrl: string }
const control = (url: string, body: unknown) =>
  fetch(`${controlUrl}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then((r) => r.json() as Promise<Record<string, unknown>>)
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zapwire-bench-memory-'))
const config = loadConfig({
  ZAPWIRE_DATA_DIR: dataDir,
  ZAPWIRE_TESTNET: controlUrl,
  ZAPWIRE_LOG_LEVEL: 'error',
})
const admin = 'bench-admin-token-0123456789'
const app = await buildApp(
  { config, adminToken: admin, encryptionKey: Buffer.alloc(32, 7) },
  { logger: false },
)
const call = async (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: object) =>
  (await app.inject({ method, url, headers, ...(payload ? { payload } : {}) })).json() as {
    data: Record<string, unknown>
  }
const snapshot = async () => {
  for (let i = 0; i < 3; i++) {
    gc()
    await new Promise((r) => setTimeout(r, 200))
  }
  const m = process.memoryUsage()
  return { heap: m.heapUsed / 2 ** 20, rss: m.rss / 2 ** 20 }
}
try {
  const me = '5541900000001'
  const sender = '5541900000002'
  await control('/accounts', { phone: sender, name: 'Sender' })
  await control('/accounts', { phone: me, virtual: false })
  const token = (
    await call('POST', '/admin/users', { authorization: admin }, { name: 'bench', history: 100 })
  ).data.token as string
  await call('POST', '/session/connect', { token }, { Immediate: false })
  await control(`/accounts/${me}/link`, {
    qr: (await call('GET', '/session/status', { token })).data.qrcode_text,
  })
  while ((await call('GET', '/session/status', { token })).data.state !== 'connected')
    await new Promise((r) => setTimeout(r, 100))
  const to = `${me}@s.whatsapp.net`
  let cursor = 0
  const receive = async (count: number, label: string) => {
    let next = 0
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < count) {
          const n = next++
          await control(`/accounts/${sender}/messages`, { to, text: `${label} ${n}` })
        }
      }),
    )
    let seen = 0
    while (seen < count) {
      const page = (await call('GET', `/events?type=Message&limit=1000&after=${cursor}`, { token }))
        .data as unknown as {
        events: { seq: number; data: { text: string } }[]
      }
      for (const e of page.events) if (e.data.text.startsWith(`${label} `)) seen++
      cursor = page.events.at(-1)?.seq ?? cursor
      if (page.events.length < 1000) await new Promise((r) => setTimeout(r, 200))
    }
  }
  await receive(500, 'warm-up')
  const before = await snapshot()
  if (process.env.HEAP_DIR)
    (await import('node:v8')).writeHeapSnapshot(path.join(process.env.HEAP_DIR, 'before.heapsnapshot'))
  const started = performance.now()
  await receive(RECEIVE, 'incoming')
  const seconds = (performance.now() - started) / 1000
  await new Promise((r) => setTimeout(r, 2_000))
  const after = await snapshot()
  if (process.env.HEAP_DIR)
    (await import('node:v8')).writeHeapSnapshot(path.join(process.env.HEAP_DIR, 'after.heapsnapshot'))
  console.log(
    `one session received ${RECEIVE} messages (${(RECEIVE / seconds).toFixed(0)} msg/s): heap after GC ${before.heap.toFixed(1)} → ${after.heap.toFixed(1)} MB (+${(after.heap - before.heap).toFixed(1)} MB), RSS ${before.rss.toFixed(0)} → ${after.rss.toFixed(0)} MB (+${(after.rss - before.rss).toFixed(1)} MB)`,
  )
} finally {
  await app.close()
  net.kill('SIGTERM')
  fs.rmSync(dataDir, { recursive: true, force: true })
}
process.exit(0)
