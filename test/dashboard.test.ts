import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { type BrowserContext, chromium, type Page } from 'playwright-core'
// @ts-expect-error: a plain .mjs script (no types)
import { ensureChromium } from '../scripts/ensure-chromium.mjs'
import { DASHBOARD_DIR } from '../src/server/dashboard.js'
import { eventually } from '../src/testnet/harness.js'
import { ADMIN_TOKEN, createUser, useApp } from './helpers/app.js'
import { useNetwork } from './helpers/testnet.js'

// The gateway serves what `npm run build` put in dist/dashboard; build it when it is missing.
if (!fs.existsSync(path.join(DASHBOARD_DIR, 'index.html'))) {
  const built = spawnSync(process.execPath, ['scripts/build-dashboard.mjs'], { stdio: 'inherit' })
  assert.equal(built.status, 0, 'building the dashboard failed')
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
  const shot = (name: string) =>
    page.screenshot({ path: path.join(SHOTS, `dashboard-${name}.png`), fullPage: true })

  before(async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`
    await network.net.contact(friend, 'Friend')
    network.net.network.accounts.create(me, 'Shop')
    page = b.browser.pages()[0] ?? (await b.browser.newPage())
    page.setDefaultTimeout(15_000)
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
    const other = await createUser(t, { name: 'Other shop' })
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel('Token', { exact: true }).fill(other.token)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Other shop' }).waitFor()
    await page.getByRole('button', { name: 'Connect' }).waitFor()
    assert.equal(await page.getByRole('link', { name: 'Instances' }).count(), 0)
    await page.setViewportSize({ width: 1280, height: 860 })
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
