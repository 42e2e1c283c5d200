import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import Fastify from 'fastify'
import { type BrowserContext, chromium, type Page } from 'playwright-core'
import type { WebSocket } from 'ws'
// @ts-expect-error: a plain .mjs script (no types)
import { ensureChromium } from '../scripts/ensure-chromium.mjs'
import type { AttemptRecord, Dispatcher } from '../src/events/dispatcher.js'
import { DASHBOARD_DIR, dashboardPlugin } from '../src/server/dashboard.js'
import { DashboardService } from '../src/services/dashboard.service.js'
import type { SessionsService } from '../src/services/sessions.service.js'
import type { UsersService } from '../src/services/users.service.js'
import { eventually } from '../src/testnet/harness.js'
import { ADMIN_TOKEN, createUser, useApp } from './helpers/app.js'
import { useNetwork } from './helpers/testnet.js'

// The gateway serves what `npm run build` put in dist/dashboard; build it when it is missing or
// older than a file in web/ (a stale build would test yesterday's page).
const built = (file: string) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0)
const newest = (dir: string): number =>
  Math.max(
    0,
    ...fs
      .readdirSync(dir, { withFileTypes: true })
      .map((e) => (e.isDirectory() ? newest(path.join(dir, e.name)) : built(path.join(dir, e.name)))),
  )
if (built(path.join(DASHBOARD_DIR, 'index.html')) < newest('web')) {
  const build = spawnSync(process.execPath, ['scripts/build-dashboard.mjs'], { stdio: 'inherit' })
  assert.equal(build.status, 0, 'building the dashboard failed')
}

/** Where the screenshots go: DASHBOARD_SCREENSHOTS=docs refreshes the README's pictures. */
const SHOTS = process.env.DASHBOARD_SCREENSHOTS ?? fs.mkdtempSync(path.join(os.tmpdir(), 'zapwire-shots-'))

/** A webhook receiver whose answer the test sets (400 = broken, 200 = fixed). */
function useFlakyReceiver() {
  const state = {
    status: 400,
    received: [] as { id: string; event: string; data: Record<string, unknown> }[],
  }
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      if (state.status < 300) state.received.push(JSON.parse(Buffer.concat(chunks).toString()))
      res.writeHead(state.status).end()
    })
  })
  before(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)))
  after(() => server.close())
  return Object.assign(state, {
    url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
  })
}

/** One headless chromium (Debian's, through playwright-core) for the suite. */
function useBrowser() {
  const ctx = {} as { browser: BrowserContext; dir: string }
  before(async () => {
    const executablePath = ensureChromium() as string
    ctx.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zapwire-chromium-'))
    ctx.browser = await chromium.launchPersistentContext(ctx.dir, {
      executablePath,
      headless: true,
      viewport: { width: 1280, height: 860 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
  })
  after(async () => {
    await ctx.browser?.close()
    if (ctx.dir) fs.rmSync(ctx.dir, { recursive: true, force: true })
  })
  return ctx
}

describe('dashboard: an operator pairs, sends, inspects and redrives from the browser', () => {
  const network = useNetwork()
  const receiver = useFlakyReceiver()
  const t = useApp('sqlite', () => ({
    ZAPWIRE_TESTNET: network.net.running.info.controlUrl,
    ZAPWIRE_DELIVERY_RETRY_BASE_MS: '200',
  }))
  const b = useBrowser()
  const me = '5521996000001'
  const friend = '5521996000002'
  let base = ''
  let page: Page
  /** Every address the browser asked for (pages, fetches, WebSockets): no token may be in one. */
  const urls: string[] = []
  const shot = (name: string) =>
    page.screenshot({ path: path.join(SHOTS, `dashboard-${name}.png`), fullPage: true })

  before(async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`
    await network.net.contact(friend, 'Friend')
    network.net.network.accounts.create(me, 'Shop')
    page = b.browser.pages()[0] ?? (await b.browser.newPage())
    page.setDefaultTimeout(15_000)
    page.on('request', (r) => urls.push(r.url()))
    page.on('websocket', (ws) => urls.push(ws.url()))
  })

  it('signs in with the admin token (a wrong one is refused)', async () => {
    const res = await page.goto(`${base}/dashboard`)
    assert.equal(res?.status(), 200)
    assert.equal(new URL(page.url()).pathname, '/dashboard/')
    assert.match(res?.headers()['content-security-policy'] ?? '', /default-src 'self'/)
    await page.getByLabel('Token', { exact: true }).fill('not-the-token')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('alert').getByText('That token is not valid.').waitFor()
    await page.getByLabel('Token', { exact: true }).fill(ADMIN_TOKEN)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Instances' }).waitFor()
  })

  it('creates an instance with a webhook', async () => {
    await page.getByRole('link', { name: 'New instance' }).click()
    await page.getByLabel('Name', { exact: true }).fill('Shop')
    await page.getByLabel('Webhook URL', { exact: true }).fill(receiver.url())
    await page.getByLabel('Events', { exact: true }).fill('Message')
    await page.getByRole('button', { name: 'Create instance' }).click()
    await page.getByRole('heading', { name: 'Shop' }).waitFor()
    const users = (await t.admin({ method: 'GET', url: '/admin/users' })).json().data
    assert.equal(users.length, 1)
    assert.equal(users[0].name, 'Shop')
    assert.equal(users[0].webhook, receiver.url())
    assert.equal(users[0].events, 'Message')
  })

  it('connects, shows the QR, and turns to connected by itself when the phone approves', async () => {
    await page.getByRole('button', { name: 'Connect' }).click()
    const qr = page.getByRole('img', { name: 'QR code to link WhatsApp' })
    await qr.waitFor()
    assert.match((await qr.getAttribute('src')) ?? '', /^data:image\/png;base64,/)
    await shot('pairing')
    const code = await qr.getAttribute('data-qr')
    assert.ok(code)
    network.net.network.link(me, code)
    await page.getByText(`Connected as +${me}`).waitFor({ timeout: 30_000 })
    await page.locator('#instance-state').getByText('connected').waitFor()
    // The change is announced once to screen readers; the ticking "since … ago" header is not a
    // live region (it would be read out every second).
    await page.getByRole('status').getByText('State: connected').waitFor()
    assert.equal(await page.locator('#instance-state').getAttribute('aria-live'), null)
    assert.equal(await page.locator('#instance-state [aria-live], #instance-state[role]').count(), 0)
  })

  it('sends a text from "Try it" and the contact receives it', async () => {
    await page
      .getByRole('navigation', { name: 'Instance sections' })
      .getByRole('link', { name: 'Try it' })
      .click()
    await page.getByLabel('Phone number', { exact: true }).fill(friend)
    await page.getByLabel('Message (or caption)', { exact: true }).fill('hello from the dashboard')
    await page.getByRole('button', { name: 'Send text' }).click()
    await page.getByRole('status').getByText('Sent').waitFor()
    const got = await network.net.inbox(friend, (m) => m.text === 'hello from the dashboard')
    assert.equal(got.text, 'hello from the dashboard')
  })

  let inboundId = ''
  it('shows an inbound message in the live inspector', async () => {
    await page
      .getByRole('navigation', { name: 'Instance sections' })
      .getByRole('link', { name: 'Events' })
      .click()
    await page.getByText('live', { exact: true }).waitFor()
    inboundId = await network.net.running.contacts
      .get(friend)!
      .send({ to: `${me}@s.whatsapp.net`, text: 'hi from the phone' })
    await page.locator('.events .sum').getByText(`from ${friend}: hi from the phone`).waitFor()
    await shot('events')
  })

  it('a failing webhook shows in the delivery log; redrive delivers it once the receiver is fixed', async () => {
    await page
      .getByRole('navigation', { name: 'Instance sections' })
      .getByRole('link', { name: 'Deliveries' })
      .click()
    const failed = page
      .getByRole('table', { name: 'Delivery attempts' })
      .getByRole('row')
      .filter({ hasText: 'HTTP 400' })
    await failed.first().waitFor()
    assert.match(await failed.first().innerText(), /dlq/i)
    const redrive = page.getByRole('button', { name: /^Redrive DLQ entry \d+$/ })
    await redrive.first().waitFor()
    assert.equal(receiver.received.length, 0)
    await shot('deliveries')
    receiver.status = 200
    await redrive.first().click()
    const delivered = await eventually(
      'the redriven event at the receiver',
      async () => receiver.received.find((c) => c.id === inboundId || c.data.id === inboundId),
      15_000,
    )
    assert.equal(delivered.event, 'Message')
    await page
      .getByRole('table', { name: 'Delivery attempts' })
      .getByRole('row')
      .filter({ hasText: 'success' })
      .first()
      .waitFor()
    await page.getByText('The DLQ is empty.').waitFor()
  })

  it('shows the state timeline and the health totals', async () => {
    await page
      .getByRole('navigation', { name: 'Instance sections' })
      .getByRole('link', { name: 'Health' })
      .click()
    await page.getByText(/state changes and \d+ reconnects/).waitFor()
    await page.locator('.timeline li').filter({ hasText: 'Connected' }).first().waitFor()
    await page.goto(`${base}/dashboard/#/health`)
    const delivered = page.locator('[data-metric="delivered"] strong')
    await delivered.waitFor()
    await eventually(
      'a delivered total',
      async () => Number(await delivered.innerText()) >= 1 || undefined,
      10_000,
    )
    await page.locator('[data-metric="delivered"] svg polyline').waitFor({ state: 'attached' })
    await page.getByText('Metrics token', { exact: true }).click()
    await page.getByLabel('Metrics token (ZAPWIRE_METRICS_TOKEN)').fill('metrics-secret')
    await page.getByLabel('Metrics token (ZAPWIRE_METRICS_TOKEN)').press('Tab')
    assert.equal(await page.evaluate('sessionStorage.getItem("zapwire.metrics")'), 'metrics-secret')
    await shot('health')
    await page.goto(`${base}/dashboard/#/instances`)
    await page.getByRole('link', { name: 'Shop' }).waitFor()
    await shot('instances')
  })

  it('fits a phone screen, and a user token sees only its own instance', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    await page.reload()
    await page.getByRole('link', { name: 'Shop' }).waitFor()
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than a phone`)
    await shot('instances-phone')
    const wider = () => page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')
    const shop = (await t.admin({ method: 'GET', url: '/admin/users' })).json().data[0].id as string
    for (const tab of ['overview', 'try', 'events', 'deliveries', 'timeline', 'settings']) {
      await page.goto(`${base}/dashboard/#/i/${shop}/${tab}`)
      await page.locator('.tab-body > *').first().waitFor()
      await page.waitForTimeout(300)
      assert.ok((await wider()) <= 0, `the ${tab} tab is ${await wider()}px wider than a phone`)
    }
    const other = await createUser(t, { name: 'Other shop' })
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
    // Signing out forgets every credential the tab kept (the metrics token too).
    assert.equal(await page.evaluate<number>('sessionStorage.length'), 0)
    await page.getByLabel('Token', { exact: true }).fill(other.token)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Other shop' }).waitFor()
    await page.getByRole('button', { name: 'Connect' }).waitFor()
    assert.equal(await page.getByRole('link', { name: 'Instances' }).count(), 0)
    await page.setViewportSize({ width: 1280, height: 860 })
  })

  it('a revoked token sends the open page back to the sign-in form', async () => {
    const doomed = await createUser(t, { name: 'Doomed shop' })
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel('Token', { exact: true }).fill(doomed.token)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Doomed shop' }).waitFor()
    assert.equal((await t.admin({ method: 'DELETE', url: `/admin/users/${doomed.id}` })).statusCode, 200)
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
    assert.equal(await page.evaluate<number>('sessionStorage.length'), 0)
  })

  it('no token ever appears in an address the browser asked for (logs, proxies, history)', async () => {
    const tokens = [
      ADMIN_TOKEN,
      ...(await t.admin({ method: 'GET', url: '/admin/users' }))
        .json()
        .data.map((u: { token: string }) => u.token),
    ]
    assert.ok(
      urls.some((u) => u.includes('/dashboard/api/events/ws')),
      'the inspector used its socket',
    )
    for (const url of urls)
      for (const token of tokens) assert.ok(!url.includes(token), `a token is in ${url}`)
  })

  it('dashboard routes: scopes, paging, search, validation', async () => {
    const other = (await t.admin({ method: 'GET', url: '/admin/users' }))
      .json()
      .data.find((u: { name: string }) => u.name === 'Other shop')
    const list = (query: string, headers: Record<string, string> = { authorization: ADMIN_TOKEN }) =>
      t.app.inject({ method: 'GET', url: `/dashboard/api/instances${query}`, headers })
    const all = (await list('?limit=1')).json().data
    assert.equal(all.total, 2)
    assert.equal(all.items.length, 1)
    assert.equal(all.items[0].name, 'Shop')
    assert.equal(all.items[0].state, 'connected')
    assert.ok(all.items[0].lastInboundAt)
    assert.equal((await list('?limit=1&offset=1')).json().data.items[0].name, 'Other shop')
    assert.equal((await list('?search=other')).json().data.total, 1)
    assert.equal((await list(`?search=${me}`)).json().data.items[0].name, 'Shop')
    assert.equal((await list('?state=connected')).json().data.total, 1)
    assert.equal((await list('?state=bogus')).statusCode, 400)
    assert.equal((await list('?limit=0')).statusCode, 400)
    assert.equal((await list('', {})).statusCode, 401)
    assert.equal((await list('', { authorization: 'wrong' })).statusCode, 401)
    const own = (await list('', { token: other.token })).json().data
    assert.deepEqual(
      own.items.map((i: { name: string }) => i.name),
      ['Other shop'],
    )
    // A user's delivery log holds only its own attempts.
    const attempts = (url: string, headers: Record<string, string>) =>
      t.app.inject({ method: 'GET', url, headers }).then((r) => r.json().data as { user_id: string }[])
    assert.equal((await attempts('/dashboard/api/attempts', { token: other.token })).length, 0)
    const mine = await attempts('/dashboard/api/attempts?outcome=dlq', { authorization: ADMIN_TOKEN })
    assert.ok(mine.length >= 1)
    assert.equal(
      (
        await t.app.inject({ method: 'GET', url: '/dashboard/api/me', headers: { token: other.token } })
      ).json().data.role,
      'user',
    )
    // One instance by id: the admin any, a user only its own (another's is "not found").
    const shop = all.items[0] as { id: string }
    const one = (id: string, headers: Record<string, string>) =>
      t.app.inject({ method: 'GET', url: `/dashboard/api/instances/${id}`, headers })
    const byId = await one(shop.id, { authorization: ADMIN_TOKEN })
    assert.equal(byId.statusCode, 200)
    assert.equal(byId.json().data.state, 'connected')
    assert.equal(byId.headers['cache-control'], 'no-store')
    assert.equal((await one(other.id, { token: other.token })).json().data.name, 'Other shop')
    assert.equal((await one(shop.id, { token: other.token })).statusCode, 404)
    assert.equal((await one('f'.repeat(32), { authorization: ADMIN_TOKEN })).statusCode, 404)
    assert.equal((await one(shop.id, {})).statusCode, 401)
    // Admin-only routes refuse a user token.
    for (const url of ['/admin/users', '/admin/dlq'])
      assert.equal(
        (await t.app.inject({ method: 'GET', url, headers: { token: other.token } })).statusCode,
        401,
      )
  })

  it('the inspector socket: token in the first frame, only that user’s events', async () => {
    const shopToken = (await t.admin({ method: 'GET', url: '/admin/users' }))
      .json()
      .data.find((u: { name: string }) => u.name === 'Shop').token as string
    const frames = (ws: WebSocket) => {
      const got: Record<string, unknown>[] = []
      ws.on('message', (m) => got.push(JSON.parse(String(m))))
      return got
    }
    const closed = (ws: WebSocket) =>
      new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
    const ws = await t.app.injectWS('/dashboard/api/events/ws')
    const got = frames(ws)
    ws.send(JSON.stringify({ token: shopToken, after: 0 }))
    await eventually('ready and the replayed events', async () => got.length > 3 || undefined, 10_000)
    assert.deepEqual(got[0], { ready: true })
    assert.ok(got.slice(1).every((e) => typeof e.seq === 'number' && e.event))
    assert.ok(got.some((e) => e.event === 'Message'))
    ws.terminate()
    const wrong = await t.app.injectWS('/dashboard/api/events/ws')
    const wrongClosed = closed(wrong)
    wrong.send(JSON.stringify({ token: 'not-a-token' }))
    assert.equal(await wrongClosed, 4401)
    const bad = await t.app.injectWS('/dashboard/api/events/ws')
    const badClosed = closed(bad)
    bad.send('{"after":"x"}')
    assert.equal(await badClosed, 4400)
  })
})

describe('dashboard under ZAPWIRE_BASE_PATH', () => {
  const t = useApp('sqlite', { ZAPWIRE_BASE_PATH: '/gw' })

  it('is served under the base path, with its own address in the page', async () => {
    const redirect = await t.app.inject({ method: 'GET', url: '/gw/dashboard' })
    assert.equal(redirect.statusCode, 302)
    assert.equal(redirect.headers.location, '/gw/dashboard/')
    const page = await t.app.inject({ method: 'GET', url: '/gw/dashboard/' })
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /<base href="\/gw\/dashboard\/"/)
    assert.doesNotMatch(page.body, /https?:\/\//, 'no external address (CDN, fonts) in the page')
    const script = await t.app.inject({ method: 'GET', url: '/gw/dashboard/app.js' })
    assert.equal(script.statusCode, 200)
    assert.match(String(script.headers['content-type']), /javascript/)
    assert.equal((await t.app.inject({ method: 'GET', url: '/gw/dashboard/nope.js' })).statusCode, 404)
    assert.equal((await t.app.inject({ method: 'GET', url: '/dashboard/' })).statusCode, 404)
    const me = await t.admin({ method: 'GET', url: '/gw/dashboard/api/me' })
    assert.equal(me.json().data.role, 'admin')
  })
})

describe('dashboard static files: headers and no way out of the built assets', () => {
  const t = useApp('sqlite')

  it('sends a strict CSP, anti-framing, nosniff, revalidation and an ETag', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/dashboard/',
      headers: { host: 'gw.example:8080' },
    })
    assert.equal(res.statusCode, 200)
    const csp = String(res.headers['content-security-policy'])
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/)
    assert.match(csp, /script-src 'self'/)
    assert.match(csp, /frame-ancestors 'none'/)
    assert.match(csp, /object-src 'none'/)
    // The page's WebSocket may reach its own host only, not any ws: host.
    assert.match(csp, /connect-src 'self' ws:\/\/gw\.example:8080 wss:\/\/gw\.example:8080;/)
    assert.doesNotMatch(csp, /ws: |wss: /)
    assert.equal(res.headers['x-frame-options'], 'DENY')
    assert.equal(res.headers['x-content-type-options'], 'nosniff')
    assert.equal(res.headers['referrer-policy'], 'no-referrer')
    assert.equal(res.headers['cache-control'], 'no-cache')
    const etag = String(res.headers.etag)
    const again = await t.app.inject({
      method: 'GET',
      url: '/dashboard/',
      headers: { 'if-none-match': etag },
    })
    assert.equal(again.statusCode, 304)
    // A Host header that is not a host name is left out of the policy.
    const odd = await t.app.inject({
      method: 'GET',
      url: '/dashboard/',
      headers: { host: "x; script-src 'unsafe-inline'" },
    })
    assert.doesNotMatch(String(odd.headers['content-security-policy']), /unsafe-inline/)
  })

  it('redirects /dashboard to a fixed address', async () => {
    for (const url of ['/dashboard', '/dashboard?next=//evil.example']) {
      const res = await t.app.inject({ method: 'GET', url })
      assert.equal(res.statusCode, 302)
      assert.equal(res.headers.location, '/dashboard/')
    }
  })

  it('no address reads a file outside the built assets', async () => {
    const secret = fs.readFileSync('package.json', 'utf8').slice(0, 40)
    for (const url of [
      '/dashboard/../package.json',
      '/dashboard/..%2Fpackage.json',
      '/dashboard/%2e%2e%2fpackage.json',
      '/dashboard/%2e%2e/package.json',
      '/dashboard/..%5Cpackage.json',
      '/dashboard/%2Fetc%2Fpasswd',
      '/dashboard/..%2F..%2F..%2F..%2Fetc%2Fpasswd',
      '/dashboard/app.js%00.html',
      '/dashboard/__proto__',
      '/dashboard/constructor',
    ]) {
      const res = await t.app.inject({ method: 'GET', url })
      assert.notEqual(res.statusCode, 200, url)
      assert.ok(res.statusCode < 500, `${url}: ${res.statusCode}`)
      assert.ok(!res.body.includes(secret) && !res.body.includes('root:'), url)
    }
  })

  it('serves only regular files of the built folder (no symlink, no directory)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zapwire-assets-'))
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'zapwire-outside-'))
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'TOP SECRET')
    fs.writeFileSync(path.join(dir, 'index.html'), '<base href="/dashboard/" />')
    fs.writeFileSync(path.join(dir, 'app.js'), 'export {}')
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(dir, 'leak.js'))
    fs.mkdirSync(path.join(dir, 'folder.css'))
    const app = Fastify()
    try {
      await app.register(dashboardPlugin, { basePath: '', dir })
      assert.equal((await app.inject({ method: 'GET', url: '/dashboard/app.js' })).statusCode, 200)
      const leak = await app.inject({ method: 'GET', url: '/dashboard/leak.js' })
      assert.equal(leak.statusCode, 404)
      assert.doesNotMatch(leak.body, /TOP SECRET/)
      assert.equal((await app.inject({ method: 'GET', url: '/dashboard/folder.css' })).statusCode, 404)
    } finally {
      await app.close()
      fs.rmSync(dir, { recursive: true, force: true })
      fs.rmSync(outside, { recursive: true, force: true })
    }
  })
})

describe('dashboard delivery log (in memory)', () => {
  const record = (n: number, over: Partial<AttemptRecord> = {}): AttemptRecord => ({
    sink: 'webhook:u1',
    transport: 'webhook',
    userId: 'u1',
    eventId: `e${n}`,
    eventSeq: n,
    eventType: 'Message',
    attempt: 1,
    outcome: 'success',
    latencyMs: 1,
    error: '',
    at: new Date(n).toISOString(),
    ...over,
  })
  const service = () => {
    let listener: ((r: AttemptRecord) => void) | undefined
    const dispatcher = {
      onAttempt: (l: (r: AttemptRecord) => void) => (listener = l),
    } as unknown as Dispatcher
    const s = new DashboardService({} as UsersService, {} as SessionsService, dispatcher)
    return { s, emit: (r: AttemptRecord) => listener!(r) }
  }

  it('keeps the newest 5,000 attempts, newest first', () => {
    const { s, emit } = service()
    for (let i = 1; i <= 5_200; i++) emit(record(i))
    const all = s.attempts({ limit: 10_000 })
    assert.equal(all.length, 5_000)
    assert.equal(all[0]!.eventSeq, 5_200)
    assert.equal(all.at(-1)!.eventSeq, 201)
  })

  it('a user sees its own sinks’ attempts, not the global transports’ (their errors name the operator’s hosts)', () => {
    const { s, emit } = service()
    emit(record(1))
    emit(
      record(2, {
        sink: 'global-redis',
        transport: 'redis',
        outcome: 'retrying',
        error: 'redis: connect ECONNREFUSED 10.0.0.7:6379',
      }),
    )
    emit(record(3, { sink: 'rabbitmq:u1', transport: 'rabbitmq' }))
    emit(record(4, { sink: 'webhook:u2', userId: 'u2' }))
    emit(record(5, { sink: 'global-webhook', userId: 'u1' }))
    assert.deepEqual(
      s.attempts({ userId: 'u1', ownSinksOf: 'u1', limit: 100 }).map((r) => r.eventSeq),
      [3, 1],
    )
    // The admin sees everything of the instance.
    assert.deepEqual(
      s.attempts({ userId: 'u1', limit: 100 }).map((r) => r.eventSeq),
      [5, 3, 2, 1],
    )
  })
})
