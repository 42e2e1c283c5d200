// Foundation benchmark: start-up time to the first /health answer, and authenticated
// GET /admin/users/{id} requests/s against a bare Fastify hello route measured in the same run.
// Run with `npm run bench` (builds first via `npm run build` if dist/ is missing).
import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'

const ADMIN = 'bench-admin-token-0123456789'
const DURATION = Number(process.env.BENCH_SECONDS ?? 8)
const CONNECTIONS = 32

function spawnAndWait(args: string[], env: Record<string, string>, pattern: RegExp) {
  const started = performance.now()
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Promise<{ child: ChildProcess; port: number; ms: number }>((resolve, reject) => {
    let out = ''
    const onData = (b: Buffer) => {
      out += b.toString()
      const m = pattern.exec(out)
      if (m) resolve({ child, port: Number(m[1]), ms: performance.now() - started })
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)))
  })
}

async function stop(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await exited
}

/** Spawn → first successful /health, polled every 5 ms. */
async function startupMs(dataDir: string): Promise<number> {
  const started = performance.now()
  const { child, port } = await spawnAndWait(
    ['dist/cli.js', 'serve'],
    { ZAPWIRE_DATA_DIR: dataDir, ZAPWIRE_PORT: '0', ZAPWIRE_HOST: '127.0.0.1', ZAPWIRE_ADMIN_TOKEN: ADMIN },
    /Server listening at http:\/\/127\.0\.0\.1:(\d+)/,
  )
  await waitForHealth(port)
  const ms = performance.now() - started
  await stop(child)
  return ms
}

async function load(url: string, headers: Record<string, string> = {}) {
  await autocannon({ url, connections: CONNECTIONS, duration: 2, headers }) // warm-up (JIT)
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers })
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`)
  return { rps: result.requests.average, p99: result.latency.p99 }
}

/** A port that was free a moment ago (ZAPWIRE_LOG_LEVEL=warn hides the "listening" line). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

async function waitForHealth(port: number) {
  for (;;) {
    if (
      await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return
    await new Promise((r) => setTimeout(r, 5))
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0

if (!fs.existsSync('dist/cli.js')) throw new Error('run `npm run build` first')
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zapwire-bench-'))
try {
  const cold: number[] = []
  const warm: number[] = []
  for (let i = 0; i < 5; i++) {
    const dir = path.join(root, `s${i}`)
    cold.push(await startupMs(dir))
    warm.push(await startupMs(dir))
  }
  console.log(
    `start-up to first /health: new data dir ${median(cold).toFixed(0)} ms, existing ${median(warm).toFixed(0)} ms (median of 5)`,
  )

  const hello = await spawnAndWait(['bench/hello-server.mjs'], {}, /listening (\d+)/)
  const dataDir = path.join(root, 'load')
  const results: Record<string, { rps: number; p99: number }> = {}
  for (const level of ['warn', 'info']) {
    const port = await freePort()
    const child = spawn(process.execPath, ['dist/cli.js', 'serve'], {
      env: {
        ...process.env,
        ZAPWIRE_DATA_DIR: dataDir,
        ZAPWIRE_PORT: String(port),
        ZAPWIRE_HOST: '127.0.0.1',
        ZAPWIRE_ADMIN_TOKEN: ADMIN,
        ZAPWIRE_LOG_LEVEL: level,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    await waitForHealth(port)
    const base = `http://127.0.0.1:${port}`
    const created = await fetch(`${base}/admin/users`, {
      method: 'POST',
      headers: { authorization: ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: `bench-${level}`,
        webhook: 'https://example.com/h',
        s3Config: { access_key: 'a', secret_key: 'b' },
      }),
    })
    const { id } = ((await created.json()) as { data: { id: string } }).data
    results[`hello-${level}`] = await load(`http://127.0.0.1:${hello.port}/hello`)
    results[`zapwire-${level}`] = await load(`${base}/admin/users/${id}`, { authorization: ADMIN })
    await stop(child)
  }
  await stop(hello.child)
  for (const level of ['warn', 'info']) {
    const h = results[`hello-${level}`]!
    const z = results[`zapwire-${level}`]!
    console.log(
      `GET /admin/users/{id} (log level ${level}): ${z.rps.toFixed(0)} req/s, p99 ${z.p99} ms; ` +
        `bare Fastify hello ${h.rps.toFixed(0)} req/s, p99 ${h.p99} ms; ratio ${(z.rps / h.rps).toFixed(2)} (goal ≥ 0.7)`,
    )
  }
} finally {
  fs.rmSync(root, { recursive: true, force: true })
}
