// Sessions benchmark against the test network: RSS per connected idle session in one Zapwire
// process, against bare Baileys clients with in-memory keys measured in the same run; and the
// time for every session to be connected again after a restart (graceful, then kill -9), against
// bare Baileys clients logging in again with saved credentials at the same concurrency.
// `npm run build` first; BENCH_SESSIONS=100 by default (the goal sizes go up to 500);
// BENCH_RESTORE_CONCURRENCY (default: the gateway's default) for both.
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'

const N = Number(process.env.BENCH_SESSIONS ?? 100)
const CONCURRENCY = process.env.BENCH_RESTORE_CONCURRENCY ?? '20'
const ADMIN = 'bench-admin-token-0123456789'
const run = promisify(execFile)
const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024

const net = spawn(process.execPath, ['dist/cli.js', 'testnet'], {
  env: { ...process.env, ZAPWIRE_LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'pipe', 'inherit'],
})
const [line] = (await once(createInterface({ input: net.stdout! }), 'line')) as [string]
const { controlUrl } = JSON.parse(line) as { controlUrl: string }
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zapwire-bench-sessions-'))
const port = 18000 + Math.floor(Math.random() * 1000)
const base = `http://127.0.0.1:${port}`
const env = {
  ...process.env,
  ZAPWIRE_DATA_DIR: dataDir,
  ZAPWIRE_PORT: String(port),
  ZAPWIRE_HOST: '127.0.0.1',
  ZAPWIRE_ADMIN_TOKEN: ADMIN,
  ZAPWIRE_TESTNET: controlUrl,
  ZAPWIRE_LOG_LEVEL: 'warn',
  ZAPWIRE_SESSION_LEASE_MS: '3000',
  ZAPWIRE_RESTORE_CONCURRENCY: CONCURRENCY,
}
const startGateway = async () => {
  const child = spawn(process.execPath, ['dist/cli.js', 'serve'], { env, stdio: 'ignore' })
  for (;;) {
    if (
      await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child
    await new Promise((r) => setTimeout(r, 50))
  }
}
const call = async (method: string, url: string, headers: Record<string, string>, body?: unknown) =>
  (await (
    await fetch(`${base}${url}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
  ).json()) as { data: Record<string, unknown> }
const connected = async (token: string) =>
  (await call('GET', '/session/status', { token })).data.state === 'connected'

try {
  const bare = JSON.parse(
    (
      await run(
        process.execPath,
        ['--import', 'tsx', 'bench/bare-clients.ts', controlUrl, String(N), '55118', CONCURRENCY],
        { maxBuffer: 1 << 20 },
      )
    ).stdout
      .trim()
      .split('\n')
      .pop()!,
  )
  const barePerClient = (bare.rssAfterMb - bare.rssBeforeMb) / N

  let gateway = await startGateway()
  const idle = rssMb(gateway.pid!)
  const tokens: string[] = []
  for (let i = 0; i < N; i++) {
    const phone = `55117${String(i).padStart(6, '0')}`
    await fetch(`${controlUrl}/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone, virtual: false }),
    })
    const token = (await call('POST', '/admin/users', { authorization: ADMIN }, { name: phone })).data
      .token as string
    await call('POST', '/session/connect', { token }, { Immediate: false })
    const qr = (await call('GET', '/session/status', { token })).data.qrcode_text
    await fetch(`${controlUrl}/accounts/${phone}/link`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ qr }),
    })
    tokens.push(token)
  }
  for (const token of tokens) while (!(await connected(token))) await new Promise((r) => setTimeout(r, 100))
  await new Promise((r) => setTimeout(r, 3_000))
  const loaded = rssMb(gateway.pid!)
  const perSession = (loaded - idle) / N
  console.log(
    `RSS per connected idle session, ${N} sessions: Zapwire ${perSession.toFixed(2)} MB (${idle.toFixed(0)} → ${loaded.toFixed(0)} MB); bare Baileys in-memory ${barePerClient.toFixed(2)} MB; ratio ${(perSession / barePerClient).toFixed(2)}`,
  )

  const restore = async (signal: NodeJS.Signals) => {
    gateway.kill(signal)
    await once(gateway, 'exit')
    const started = performance.now()
    gateway = await startGateway()
    for (const token of tokens) while (!(await connected(token))) await new Promise((r) => setTimeout(r, 100))
    return (performance.now() - started) / 1000
  }
  const graceful = await restore('SIGTERM')
  const bareRate = N / bare.restoreSeconds
  console.log(
    `restore after a restart: ${N} sessions connected again in ${graceful.toFixed(1)} s (${(N / graceful).toFixed(1)} sessions/s); bare Baileys in-memory ${bare.restoreSeconds.toFixed(1)} s (${bareRate.toFixed(1)} sessions/s); ratio ${(graceful / bare.restoreSeconds).toFixed(2)}; concurrency ${CONCURRENCY}`,
  )
  const crashed = await restore('SIGKILL')
  console.log(
    `restore after kill -9: ${N} sessions connected again in ${crashed.toFixed(1)} s (${(N / crashed).toFixed(1)} sessions/s; includes the ${Number(env.ZAPWIRE_SESSION_LEASE_MS) / 1000} s lease lapse)`,
  )
  gateway.kill('SIGTERM')
} finally {
  net.kill('SIGTERM')
  fs.rmSync(dataDir, { recursive: true, force: true })
}
process.exit(0)
