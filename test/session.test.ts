import assert from 'node:assert/strict'
import http from 'node:http'
import net from 'node:net'
import { describe, it } from 'node:test'
import { eventually } from '../src/testnet/harness.js'
import { createUser, useApp, userRequests } from './helpers/app.js'
import { DIALECTS } from './helpers/databases.js'
import { useNetwork } from './helpers/testnet.js'

for (const dialect of DIALECTS) {
  describe(`${dialect}: sessions against the test network`, () => {
    const network = useNetwork()
    const t = useApp(dialect, () => ({
      ZAPWIRE_TESTNET: network.net.running.info.controlUrl,
      ZAPWIRE_WATCHDOG_MS: '5000',
    }))
    const phoneBase = dialect === 'sqlite' ? '55119910' : '55119920'
    const as = (token: string) => userRequests(t, token)
    const status = async (token: string) => {
      const res = await as(token).get('/session/status')
      if (res.statusCode !== 200) throw new Error(`status: ${res.statusCode} ${res.body}`)
      return res.json().data
    }

    /** A user (created with `body`) linked to the network account `phone` by QR. */
    async function linked(
      phone: string,
      body: object = {},
      beforeConnect?: (api: ReturnType<typeof as>) => Promise<unknown>,
    ) {
      const user = await createUser(t, { name: phone, ...body })
      const api = as(user.token)
      network.net.network.accounts.create(phone, phone)
      await beforeConnect?.(api)
      const connect = await api.post('/session/connect', {
        Immediate: false,
        ...('events' in body ? {} : { Subscribe: ['Message'] }),
      })
      assert.equal(connect.statusCode, 200, connect.body)
      const qr = await api.get('/session/qr')
      assert.match(qr.json().data.QRCode, /^data:image\/png;base64,/)
      network.net.network.link(phone, (await status(user.token)).qrcode_text)
      await eventually(
        'logged in',
        async () => (await status(user.token)).LoggedIn === true || undefined,
        30_000,
      )
      return { user, api }
    }

    it('connect → QR → the phone approves → connected and logged in, with phone JID and LID', async () => {
      const phone = `${phoneBase}0001`
      const { user } = await linked(phone)
      const data = await eventually(
        'status',
        async () => {
          const s = await status(user.token)
          return s.state === 'connected' ? s : undefined
        },
        20_000,
      )
      assert.equal(data.Connected, true)
      assert.equal(data.connectionHealth, 'connected')
      assert.equal(data.jid, `${phone}:1@s.whatsapp.net`)
      assert.match(data.lid, /^\d+:1@lid$/)
      assert.equal(data.events, 'Message')
      assert.equal((await as(user.token).get('/session/qr')).json().data.QRCode, '')
    })

    it('links by pairing code', async () => {
      const phone = `${phoneBase}0002`
      network.net.network.accounts.create(phone, phone)
      const user = await createUser(t, { name: 'code' })
      const res = await as(user.token).post('/session/pairphone', { Phone: `+${phone}` })
      assert.equal(res.statusCode, 200, res.body)
      const code = res.json().data.LinkingCode as string
      assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/)
      await network.net.network.linkByCode(phone, code)
      await eventually(
        'logged in',
        async () => (await status(user.token)).LoggedIn === true || undefined,
        15_000,
      )
    })

    it('disconnect keeps the pairing: connecting again needs no QR', async () => {
      const phone = `${phoneBase}0003`
      const { user, api } = await linked(phone)
      assert.deepEqual((await api.post('/session/disconnect')).json(), {
        code: 200,
        data: { Details: 'Disconnected' },
        success: true,
      })
      const off = await status(user.token)
      assert.equal(off.state, 'disconnected')
      assert.equal(off.Connected, false)
      assert.equal(off.LoggedIn, false)
      await api.post('/session/connect', { Immediate: false })
      const back = await status(user.token)
      assert.equal(back.state, 'connected')
      assert.equal(back.qrcode_text, '')
    })

    it('connecting twice is one socket', async () => {
      const phone = `${phoneBase}0004`
      const { user, api } = await linked(phone)
      const before = await status(user.token)
      await api.post('/session/connect', { Immediate: true })
      await api.post('/session/connect', { Immediate: true })
      const after = await status(user.token)
      assert.equal(after.state, 'connected')
      assert.equal(after.reconnects, before.reconnects)
      assert.equal(network.net.network.accounts.get(phone)!.devices.size, 1)
    })

    it('logout unlinks the device and forgets the credentials', async () => {
      const phone = `${phoneBase}0005`
      const { user, api } = await linked(phone)
      assert.deepEqual((await api.post('/session/logout')).json(), {
        code: 200,
        data: { Details: 'Logged out' },
        success: true,
      })
      assert.equal((await status(user.token)).state, 'logged_out')
      assert.equal(network.net.network.accounts.get(phone)!.devices.size, 0)
      assert.equal(await t.credentials.hasCreds(user.id), false)
    })

    it('unlinked from the phone (401): logged out and purged', async () => {
      const phone = `${phoneBase}0006`
      const { user } = await linked(phone)
      network.net.fault(`${phone}:1@s.whatsapp.net`, { kind: 'stream-error', code: 401 })
      await eventually(
        'logged out',
        async () => (await status(user.token)).state === 'logged_out' || undefined,
      )
      assert.equal(await t.credentials.hasCreds(user.id), false)
      assert.equal((await status(user.token)).jid, '')
    })

    it('replaced (440): reported, and no reconnect fight', async () => {
      const phone = `${phoneBase}0007`
      const { user } = await linked(phone)
      network.net.fault(`${phone}:1@s.whatsapp.net`, { kind: 'stream-error', code: 440 })
      await eventually('replaced', async () => (await status(user.token)).state === 'replaced' || undefined)
      await new Promise((r) => setTimeout(r, 1_500))
      const s = await status(user.token)
      assert.equal(s.state, 'replaced')
      assert.equal(s.hasClient, false)
      assert.equal(await t.credentials.hasCreds(user.id), true)
    })

    it('515 and 428 reconnect by themselves', async () => {
      const phone = `${phoneBase}0008`
      const { user } = await linked(phone)
      for (const code of [515, 428]) {
        const before = (await status(user.token)).reconnects
        network.net.fault(`${phone}:1@s.whatsapp.net`, { kind: 'stream-error', code })
        await eventually(
          `reconnected after ${code}`,
          async () => {
            const s = await status(user.token)
            return (s.reconnects > before && s.state === 'connected') || undefined
          },
          15_000,
        )
      }
      const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body
      const reconnects = new RegExp(`zapwire_session_reconnects_total\\{user="${user.id}"\\} (\\d+)`).exec(
        metrics,
      )
      assert.ok(Number(reconnects?.[1]) >= 2, 'reconnects counted in /metrics')
      assert.match(metrics, new RegExp(`zapwire_session_state\\{user="${user.id}",state="connected"\\} 1`))
    })

    it('a silent socket (zombie) is restarted by the watchdog', async () => {
      const phone = `${phoneBase}0009`
      const { user } = await linked(phone)
      const before = (await status(user.token)).reconnects
      const started = Date.now()
      network.net.fault(`${phone}:1@s.whatsapp.net`, { kind: 'silent' })
      await eventually(
        'a watchdog restart',
        async () => {
          const s = await status(user.token)
          return (s.reconnects > before && s.state === 'connected') || undefined
        },
        25_000,
      )
      // Baileys' own keep-alive would need 35 s; the watchdog acts after 5 s of silence plus a 5 s ping.
      assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`)
    })

    it('applies whatsappConfig to the client, and honours auto-reconnect off', async () => {
      const phone = `${phoneBase}0010`
      const { user } = await linked(phone, {
        autoReconnect: false,
        whatsappConfig: { waOSName: 'Windows', waDeviceName: 'Shop Desk', waLocaleCountry: 'BR' },
      })
      assert.equal(network.net.network.accounts.get(phone)!.devices.get(1)!.platform, 'Windows')
      assert.equal((await status(user.token)).enableAutoReconnect, false)
      network.net.fault(`${phone}:1@s.whatsapp.net`, { kind: 'stream-error', code: 428 })
      await eventually(
        'disconnected',
        async () => (await status(user.token)).state === 'disconnected' || undefined,
      )
      await new Promise((r) => setTimeout(r, 1_500))
      const s = await status(user.token)
      assert.equal(s.state, 'disconnected')
      assert.equal(s.hasClient, false)
    })

    it('connects through the user’s HTTP proxy, and bypasses it for listed hosts', async () => {
      const tunnels: string[] = []
      const proxy = http.createServer()
      proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
        tunnels.push(req.url ?? '')
        const [host, port] = (req.url ?? '').split(':')
        const upstream = net.connect(Number(port), host, () => {
          client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
          upstream.write(head)
          upstream.pipe(client)
          client.pipe(upstream)
        })
        upstream.on('error', () => client.destroy())
        client.on('error', () => upstream.destroy())
      })
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
      try {
        const proxyUrl = `http://bob:secret@127.0.0.1:${(proxy.address() as net.AddressInfo).port}`
        let set: Awaited<ReturnType<ReturnType<typeof as>['post']>> | undefined
        const { api } = await linked(`${phoneBase}0011`, {}, async (client) => {
          set = await client.post('/session/proxy', { proxy_url: proxyUrl, enable: true })
        })
        assert.equal(set?.statusCode, 200, set?.body)
        assert.deepEqual(set?.json(), {
          Details: 'Proxy configured successfully',
          ProxyURL: proxyUrl.replace('secret', '***'),
        })
        const wsHost = new URL(network.net.running.info.wsUrl).host
        assert.ok(tunnels.includes(wsHost), `tunnels: ${tunnels.join(', ')}`)

        await api.post('/session/proxy', { proxy_url: proxyUrl, enable: true, bypass: ['127.0.0.1'] })
        await api.post('/session/disconnect')
        const before = tunnels.length
        await api.post('/session/connect', { Immediate: false })
        assert.equal((await api.get('/session/status')).json().data.state, 'connected')
        assert.equal(tunnels.length, before)

        const bad = await api.post('/session/proxy', { proxy_url: 'ftp://127.0.0.1:21', enable: true })
        assert.equal(bad.statusCode, 400)
        assert.match(bad.json().error, /must use http or https or socks4 or socks5 or socks5h/)
      } finally {
        proxy.closeAllConnections()
        proxy.close()
      }
    })

    it('records session events in the outbox, with JID and LID, readable from a cursor', async () => {
      const phone = `${phoneBase}0012`
      const { user, api } = await linked(phone)
      const events = async (query = '') => {
        const res = await api.get(`/events${query}`)
        assert.equal(res.statusCode, 200, res.body)
        return res.json().data as {
          events: { id: string; seq: number; event: string; jid: string; lid: string; data: object }[]
          next: number | null
        }
      }
      const page = await eventually(
        'Connected and OfflineSyncCompleted events',
        async () => {
          const p = await events()
          const names = p.events.map((e) => e.event)
          return names.includes('Connected') && names.includes('OfflineSyncCompleted') ? p : undefined
        },
        15_000,
      )
      const names = page.events.map((e) => e.event)
      assert.deepEqual(names.slice(0, 3), ['QR', 'PairSuccess', 'Connected'])
      const connected = page.events.find((e) => e.event === 'Connected')!
      assert.equal(connected.jid, `${phone}:1@s.whatsapp.net`)
      assert.match(connected.lid, /^\d+:1@lid$/)
      // Paging: one at a time from the cursor gives the same events in the same order.
      const first = await events('?limit=1')
      assert.equal(first.events.length, 1)
      assert.equal(first.events[0]!.id, page.events[0]!.id)
      const second = await events(`?limit=1&after=${first.next}`)
      assert.equal(second.events[0]!.id, page.events[1]!.id)
      assert.deepEqual(
        (await events('?type=Connected')).events.map((e) => e.event),
        ['Connected'],
      )
      // Another user never sees them.
      const other = await createUser(t, { name: 'other' })
      assert.deepEqual((await as(other.token).get('/events')).json().data.events, [])
      assert.equal((await api.get('/events?limit=0')).statusCode, 400)
      assert.equal((await api.get('/events?since=yesterday')).statusCode, 400)
      void user
    })

    it('counts undecryptable messages in /metrics and reports them', async () => {
      const phone = `${phoneBase}0013`
      const { user, api } = await linked(phone)
      const sender = await network.net.contact(`${phoneBase}0913`, 'Sender')
      network.net.fault(`${phone}:1@s.whatsapp.net`, { kind: 'corrupt', count: 1 })
      await sender.send({ to: `${phone}@s.whatsapp.net`, text: 'scrambled on the way' })
      const event = await eventually(
        'UndecryptableMessage',
        async () =>
          (await api.get('/events?type=UndecryptableMessage')).json().data.events[0] as
            | { data: { Info: { Chat: string; ID: string } } }
            | undefined,
        15_000,
      )
      assert.ok(event.data.Info.ID)
      const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body
      assert.match(metrics, new RegExp(`zapwire_session_decrypt_failures_total\\{user="${user.id}"\\} 1`))
    })

    it('reports a stream error and reconnects', async () => {
      const phone = `${phoneBase}0014`
      const { user, api } = await linked(phone)
      network.net.fault(`${phone}:1@s.whatsapp.net`, { kind: 'stream-error', code: 503 })
      const event = await eventually(
        'StreamError',
        async () => (await api.get('/events?type=StreamError')).json().data.events[0],
        10_000,
      )
      assert.deepEqual(event.data, { Code: '503' })
      await eventually(
        'reconnected',
        async () => {
          const s = await status(user.token)
          return s.state === 'connected' && s.reconnects >= 1 ? s : undefined
        },
        15_000,
      )
    })

    it('refresh reconnects and re-syncs app state, pre-keys and privacy', async () => {
      const phone = `${phoneBase}0015`
      const { user, api } = await linked(phone)
      const res = await api.post('/session/refresh', {})
      assert.equal(res.statusCode, 200, res.body)
      const body = res.json()
      assert.equal(body.Details, 'Connection refresh completed')
      assert.equal(body.wasLoggedIn, true)
      assert.equal(body.newLoggedIn, true)
      assert.equal(body.jid, `${phone}:1@s.whatsapp.net`)
      assert.deepEqual(
        body.sync.app_state.map((c: { name: string; success: boolean }) => [c.name, c.success]),
        ['critical_block', 'critical_unblock_low', 'regular_high', 'regular_low', 'regular'].map((n) => [
          n,
          true,
        ]),
      )
      assert.equal(body.sync.app_state_success, true)
      assert.equal(body.sync.prekeys.checked, true)
      assert.ok(body.sync.prekeys.server_count > 0)
      assert.deepEqual(body.sync.privacy_settings, { fetched: true })
      assert.equal((await status(user.token)).state, 'connected')
      const only = await api.post('/session/refresh', { sync_app_state: false, refresh_prekeys: false })
      assert.equal(only.statusCode, 200, only.body)
      assert.deepEqual(only.json().sync.app_state, [])
      assert.equal(only.json().sync.prekeys, undefined)
      // Never paired: nothing to refresh.
      const fresh = await createUser(t, { name: 'never paired' })
      const refused = await as(fresh.token).post('/session/refresh')
      assert.equal(refused.statusCode, 400)
      assert.equal(refused.json().error, 'no JID found, QR scan required for initial pairing')
    })

    it('deleting a user closes its session; the full delete also unlinks the device', async () => {
      const kept = `${phoneBase}0016`
      const a = await linked(kept)
      const del = await t.admin({ method: 'DELETE', url: `/admin/users/${a.user.id}` })
      assert.equal(del.statusCode, 200, del.body)
      assert.equal(network.net.network.accounts.get(kept)!.devices.has(1), true)
      assert.equal((await t.credentials.readCreds(a.user.id)) ?? undefined, undefined)
      assert.equal((await a.api.get('/session/status')).statusCode, 401)

      const gone = `${phoneBase}0017`
      const b = await linked(gone)
      const full = await t.admin({ method: 'DELETE', url: `/admin/users/${b.user.id}/full` })
      assert.equal(full.statusCode, 200, full.body)
      assert.equal(full.json().data.jid, `${gone}:1@s.whatsapp.net`)
      assert.equal(network.net.network.accounts.get(gone)!.devices.has(1), false)
      assert.equal((await t.credentials.readCreds(b.user.id)) ?? undefined, undefined)
    })

    it('refuses bad input with clear 4xx', async () => {
      const user = await createUser(t, { name: 'bad' })
      const api = as(user.token)
      const qr = await api.get('/session/qr')
      assert.equal(qr.statusCode, 409)
      assert.match(qr.json().error, /no QR code: session is disconnected/)
      const phone = await api.post('/session/pairphone', { Phone: '12ab' })
      assert.equal(phone.statusCode, 400)
      assert.deepEqual(phone.json(), {
        code: 400,
        error: 'Phone must be 7 to 15 digits with the country code',
        success: false,
      })
      assert.equal((await api.post('/session/pairphone', {})).statusCode, 400)
      assert.equal((await api.post('/session/connect', { Subscribe: ['Nope'] })).statusCode, 400)
      assert.equal((await as('wrong').get('/session/status')).statusCode, 401)
    })
  })
}
