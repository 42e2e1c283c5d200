import assert from 'node:assert/strict'
import http from 'node:http'
import net from 'node:net'
import { after, before, describe, it } from 'node:test'
import sharp from 'sharp'
import { eventually } from '../src/testnet/harness.js'
import { shareAppStateKey } from '../src/testnet/phone.js'
import { setPresence } from '../src/testnet/presence.js'
import { createUser, useApp, userRequests } from './helpers/app.js'
import { linkSession, useNetwork } from './helpers/testnet.js'

const JPEG = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#c03' } })
  .jpeg()
  .toBuffer()
const PNG = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#03c' } })
  .png()
  .toBuffer()

describe('the account: lookups, profile, privacy, blocklist, presence, proxy (test network)', () => {
  const network = useNetwork()
  const t = useApp('sqlite', () => ({
    ZAPWIRE_TESTNET: network.net.running.info.controlUrl,
    ZAPWIRE_CHECK_MAX_PER_REQUEST: '5',
    ZAPWIRE_CHECK_MAX_PER_MINUTE: '40',
  }))
  const me = '5521994000001'
  const alice = '5521994000002'
  const bob = '5521994000003'
  const nobody = '5521994000099'
  const pn = (phone: string) => `${phone}@s.whatsapp.net`
  let token = ''
  const user = userRequests(t, () => token)
  const { post, get } = user
  const events = (type: string) =>
    user.events<{
      chat: string
      data: Record<string, unknown>
    }>(type)
  const accountOf = (phone: string) => network.net.network.accounts.get(phone)!
  const clientOf = (phone: string) => network.net.running.contacts.get(phone)!.client.socket!
  const lidOf = (phone: string) => `${accountOf(phone).lid}@lid`

  before(async () => {
    await network.net.contact(alice, 'Alice')
    await network.net.contact(bob, 'Bob')
    token = (await createUser(t, { name: 'account' })).token
    await linkSession(t, network.net, token, me, 'Shop')
  })

  it('checks numbers: on WhatsApp or not, with phone JID and LID; a LID is answered by its phone', async () => {
    const res = await post('/user/check', { Phone: [alice, `+55 21 99400-0003`, nobody] })
    assert.equal(res.statusCode, 200, res.body)
    const users = res.json().data.Users as Record<string, unknown>[]
    assert.deepEqual(users, [
      { Query: alice, IsInWhatsapp: true, JID: pn(alice), VerifiedName: '', LID: lidOf(alice) },
      { Query: '+55 21 99400-0003', IsInWhatsapp: true, JID: pn(bob), VerifiedName: '', LID: lidOf(bob) },
      { Query: nobody, IsInWhatsapp: false, JID: pn(nobody), VerifiedName: '', LID: '' },
    ])
    const byLid = (await post('/user/check', { phone: lidOf(alice) })).json().data.Users
    assert.deepEqual(byLid, [
      { Query: lidOf(alice), IsInWhatsapp: true, JID: pn(alice), VerifiedName: '', LID: lidOf(alice) },
    ])
    for (const bad of [
      { Phone: ['not a phone'] },
      { Phone: [] },
      { Phone: ['120363000000000001@g.us'] },
      {},
    ]) {
      const refused = await post('/user/check', bad)
      assert.equal(refused.statusCode, 400, `${JSON.stringify(bad)} → ${refused.body}`)
      assert.equal(refused.json().success, false)
    }
  })

  it('reads a contact’s about, picture, devices (info, avatar, devices) as the contact set them', async () => {
    await clientOf(alice).updateProfileStatus('Alice at work')
    await clientOf(alice).updateProfilePicture(pn(alice), JPEG)
    const info = await post('/user/info', { Phone: alice })
    assert.equal(info.statusCode, 200, info.body)
    const wuzapi = info.json().data.Users[pn(alice)]
    assert.equal(wuzapi.Status, 'Alice at work')
    assert.equal(wuzapi.PictureID, accountOf(alice).picture!.id)
    assert.deepEqual(wuzapi.Devices, [`${alice}:1@s.whatsapp.net`])
    assert.equal(wuzapi.VerifiedName, null)
    assert.equal(wuzapi.LID, lidOf(alice))
    const digigo = info.json().data.users[pn(alice)]
    assert.equal(digigo.status, 'Alice at work')
    assert.equal(digigo.lid, lidOf(alice))
    assert.equal(digigo.device_count, 1)
    assert.equal(digigo.devices[0].ad, `${alice}.0:1@s.whatsapp.net`)

    const avatar = await t.app.inject({
      method: 'GET',
      url: `/user/avatar?Phone=${alice}&Preview=true`,
      headers: { token },
    })
    assert.equal(avatar.statusCode, 200, avatar.body)
    assert.equal(avatar.json().ID, accountOf(alice).picture!.id)
    assert.equal(avatar.json().URL, accountOf(alice).picture!.url)
    assert.equal(avatar.json().Type, 'preview')
    assert.equal(avatar.json().DirectPath, new URL(accountOf(alice).picture!.url).pathname)
    // wuzapi's curl sends the fields as a JSON body on the GET.
    const withBody = await t.app.inject({
      method: 'GET',
      url: '/user/avatar',
      headers: { token },
      payload: { phone: alice, preview: true },
    })
    assert.equal(withBody.statusCode, 200, withBody.body)
    assert.equal(withBody.json().ID, accountOf(alice).picture!.id)
    const enveloped = await post('/user/avatar', { Phone: lidOf(alice), Preview: false })
    assert.equal(enveloped.statusCode, 200, enveloped.body)
    assert.equal(enveloped.json().data.id, accountOf(alice).picture!.id)
    assert.equal(enveloped.json().data.type, 'image')
    assert.equal((await post('/user/avatar', { Phone: bob, Preview: true })).statusCode, 404)
    assert.equal((await post('/user/avatar', { Preview: true })).statusCode, 400)

    const devices = await post('/user/devices', { phones: [alice, bob] })
    assert.equal(devices.statusCode, 200, devices.body)
    assert.deepEqual(devices.json().data[pn(alice)], {
      devices: [`${alice}:1@s.whatsapp.net`],
      lid: lidOf(alice),
    })
    // Alice's new picture was announced: a Picture event names her by phone and LID.
    const picture = await eventually('a Picture event', async () =>
      (await events('Picture')).find((e) => e.data.JID === pn(alice)),
    )
    assert.equal(picture.data.JIDLid, lidOf(alice))
    assert.equal(picture.data.Remove, false)
    // Not a business account.
    assert.equal((await post('/user/business/profile', { phone: alice })).statusCode, 404)
  })

  it('sets its own about and photo (contacts see them with their own queries) and removes the photo', async () => {
    const set = await post('/user/status', { status: 'Open 9 to 18' })
    assert.equal(set.statusCode, 200, set.body)
    assert.equal(accountOf(me).about.text, 'Open 9 to 18')
    const [seen] = (await clientOf(alice).fetchStatus(pn(me))) ?? []
    assert.equal((seen?.status as { status?: string } | undefined)?.status, 'Open 9 to 18')
    assert.equal((await get('/user/status')).json().data.status, 'Open 9 to 18')
    assert.equal((await post('/user/status', { status: 'x'.repeat(140) })).statusCode, 400)

    const png = await post('/user/photo', { Image: `data:image/png;base64,${PNG.toString('base64')}` })
    assert.equal(png.statusCode, 400, png.body)
    assert.match(png.json().error, /JPEG/)
    const photo = await post('/user/photo', { Image: `data:image/jpeg;base64,${JPEG.toString('base64')}` })
    assert.equal(photo.statusCode, 200, photo.body)
    assert.equal(photo.json().data.PictureID, accountOf(me).picture!.id)
    assert.equal(await clientOf(alice).profilePictureUrl(pn(me)), accountOf(me).picture!.url)
  })

  it('changes privacy settings on the network; the profile photo is hidden from non-contacts until saved in the address book', async () => {
    const before = await get('/privacy/settings')
    assert.equal(before.statusCode, 200, before.body)
    assert.equal(before.json().privacy_settings.profile, 'all')
    assert.equal(before.json().data.last_seen, 'all')
    const res = await post('/privacy/settings', { setting: 'profile', value: 'contacts' })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().message, 'Privacy setting profile updated to contacts')
    assert.equal(accountOf(me).privacy.profile, 'contacts')
    assert.equal((await get('/user/privacy/settings')).json().data.profile, 'contacts')
    const event = await eventually('a PrivacySettings event', async () =>
      (await events('PrivacySettings')).find((e) => e.data.Profile === 'contacts'),
    )
    assert.equal(event.data.LastSeen, 'all')
    // Alice is not in the address book: WhatsApp refuses her the picture.
    await assert.rejects(clientOf(alice).profilePictureUrl(pn(me)), /not-authorized/)

    // The address book is an app-state patch: nothing works until the phone shares its key.
    const early = await post('/user/contact/add', { phone: alice, full_name: 'Alice Example' })
    assert.equal(early.statusCode, 409, early.body)
    const device = [...accountOf(me).devices.keys()][0]!
    await shareAppStateKey(network.net.network, accountOf(me), device)
    const added = await eventually('the contact saved', async () => {
      const r = await post('/user/contact/add', { phone: alice, full_name: 'Alice Example' })
      return r.statusCode === 200 ? r : undefined
    })
    assert.deepEqual(added.json().data, {
      success: true,
      message: 'Contact added successfully',
      phone: alice,
      full_name: 'Alice Example',
    })
    // The network read the patch with the phone's key: Alice is a contact, and sees the picture.
    await eventually(
      'Alice in the address book',
      () => accountOf(me).addressBook.get(pn(alice)) === 'Alice Example',
    )
    assert.equal(await clientOf(alice).profilePictureUrl(pn(me)), accountOf(me).picture!.url)
    const removed = await post('/user/contact/remove', { phone: alice })
    assert.equal(removed.statusCode, 200, removed.body)
    await eventually('Alice out of the address book', () => !accountOf(me).addressBook.has(pn(alice)))
    await assert.rejects(clientOf(alice).profilePictureUrl(pn(me)), /not-authorized/)
    assert.equal((await post('/privacy/settings', { setting: 'profile', value: 'all' })).statusCode, 200)

    // Removing the photo: Alice finds none.
    assert.equal((await post('/user/photo/remove', {})).statusCode, 200)
    assert.equal(accountOf(me).picture, undefined)
    await assert.rejects(clientOf(alice).profilePictureUrl(pn(me)), /item-not-found/)

    // Status privacy, default disappearing timer.
    assert.equal((await post('/privacy/settings', { setting: 'status', value: 'none' })).statusCode, 200)
    const status = await get('/privacy/status')
    assert.equal(status.json().status_privacy, 'none')
    const timer = await post('/privacy/disappearing-timer', { timer: '7d' })
    assert.equal(timer.statusCode, 200, timer.body)
    assert.equal(timer.json().message, 'Default disappearing timer set to 7d')
    assert.equal(accountOf(me).disappearing.duration, 604_800)

    for (const bad of [
      { setting: 'colour', value: 'all' },
      { setting: 'read_receipts', value: 'contacts' },
      { setting: 'last_seen', value: 'everyone' },
      { setting: 'last_seen', value: 'none', users: [pn(alice)] },
      { value: 'all' },
    ]) {
      const refused = await post('/privacy/settings', bad)
      assert.equal(refused.statusCode, 400, `${JSON.stringify(bad)} → ${refused.body}`)
    }
    assert.equal((await post('/privacy/disappearing-timer', { timer: '3d' })).statusCode, 400)
    assert.equal(accountOf(me).privacy.last, 'all')
  })

  it('sets the push name (an app-state patch the network reads), then presence; subscribed presence arrives as events, last seen as privacy allows', async () => {
    const early = await post('/user/presence', { type: 'available' })
    assert.equal(early.statusCode, 409, early.body)
    const res = await post('/user/pushname', { push_name: 'Shop Renamed' })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().data.push_name, 'Shop Renamed')
    await eventually('the network’s push name', () => accountOf(me).name === 'Shop Renamed')
    await eventually('a PushNameSetting event', async () =>
      (await events('PushNameSetting')).find(
        (e) => (e.data.Action as { name?: string } | undefined)?.name === 'Shop Renamed',
      ),
    )
    assert.equal((await post('/user/pushname', { push_name: '  ' })).statusCode, 400)

    const online = await post('/user/presence', { type: 'available' })
    assert.equal(online.statusCode, 200, online.body)
    await eventually('online on the network', () => accountOf(me).presence.type === 'available')
    assert.equal((await post('/user/presence', { type: 'away' })).statusCode, 400)

    const sub = await post('/user/presence', { type: 'subscribe', phone: alice })
    assert.equal(sub.statusCode, 200, sub.body)
    setPresence(network.net.network, accountOf(alice), 'available')
    await eventually('Alice online', async () =>
      (await events('Presence')).find((e) => e.data.From === pn(alice) && e.data.Unavailable === false),
    )
    setPresence(network.net.network, accountOf(alice), 'unavailable')
    const away = await eventually('Alice offline, with her last seen', async () =>
      (await events('Presence')).find((e) => e.data.From === pn(alice) && e.data.Unavailable === true),
    )
    assert.ok(away.data.LastSeen)
    // Alice hides her last seen: the next offline presence has none.
    await clientOf(alice).updateLastSeenPrivacy('none')
    setPresence(network.net.network, accountOf(alice), 'available')
    setPresence(network.net.network, accountOf(alice), 'unavailable')
    await eventually('an offline presence without last seen', async () => {
      const offline = (await events('Presence')).filter(
        (e) => e.data.From === pn(alice) && e.data.Unavailable,
      )
      return offline.length >= 2 && !offline.at(-1)!.data.LastSeen
    })
  })

  it('blocks a contact (its messages are no longer delivered, BlocklistChange), lists and unblocks it', async () => {
    const connectList = await eventually(
      'the Blocklist event of the connect',
      async () => (await events('Blocklist'))[0],
    )
    assert.deepEqual(connectList.data.JIDs, [])
    const res = await post('/privacy/blocklist', { action: 'block', users: [bob] })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().message, 'Successfully blocked 1 contact(s)')
    assert.ok(accountOf(me).blocked.has(accountOf(bob)))
    const change = await eventually('a BlocklistChange event', async () =>
      (await events('BlocklistChange')).find((e) => e.data.JID === pn(bob) && e.data.Action === 'block'),
    )
    assert.equal(change.data.JIDLid, lidOf(bob))
    const list = await get('/privacy/blocklist')
    assert.deepEqual(list.json().blocked_contacts, [pn(bob)])
    assert.deepEqual(list.json().blocked_lids, [lidOf(bob)])
    assert.equal(list.json().count, 1)
    assert.deepEqual((await get('/blocklist')).json().data.JIDs, [pn(bob)])

    const contact = network.net.running.contacts.get(bob)!
    const blocked = await contact.send({ to: pn(me), text: 'are you there?' })
    await new Promise((resolve) => setTimeout(resolve, 1500))
    assert.equal((await events('Message')).filter((e) => e.data.text === 'are you there?').length, 0)
    assert.notEqual(contact.sent.get(blocked)?.status, 'DELIVERY_ACK')

    const unblock = await post('/blocklist/update', { Phone: bob, Action: 'unblock' })
    assert.equal(unblock.statusCode, 200, unblock.body)
    assert.deepEqual(unblock.json().data, {
      Details: 'Unblocked',
      JID: pn(bob),
      LID: lidOf(bob),
      Action: 'unblock',
    })
    await eventually('an unblock BlocklistChange', async () =>
      (await events('BlocklistChange')).find((e) => e.data.JID === pn(bob) && e.data.Action === 'unblock'),
    )
    assert.equal((await get('/privacy/blocklist')).json().count, 0)
    await contact.send({ to: pn(me), text: 'hello again' })
    await eventually('Bob’s message after the unblock', async () =>
      (await events('Message')).find((e) => e.data.text === 'hello again'),
    )
    assert.equal((await post('/privacy/blocklist', { action: 'mute', users: [bob] })).statusCode, 400)
    assert.equal((await post('/privacy/blocklist', { action: 'block', users: ['x'] })).statusCode, 400)
  })

  describe('proxy (Miauzap)', () => {
    let proxy: http.Server
    let proxyUrl = ''
    let tunnels = 0
    before(async () => {
      // A minimal HTTP CONNECT proxy on loopback.
      proxy = http.createServer((_req, res) => res.writeHead(405).end())
      proxy.on('connect', (req, socket, head) => {
        if (req.headers['proxy-authorization'] !== undefined) {
          const [, credentials = ''] = String(req.headers['proxy-authorization']).split(' ')
          const given = Buffer.from(credentials, 'base64')
          if (given.toString() !== 'u:secret') {
            socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n')
            return
          }
        }
        tunnels++
        const [host, port] = String(req.url).split(':')
        const upstream = net.connect(Number(port), host, () => {
          socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
          upstream.write(head)
          upstream.pipe(socket)
          socket.pipe(upstream)
        })
        upstream.on('error', () => socket.destroy())
        socket.on('error', () => upstream.destroy())
      })
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
      proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`
    })
    after(() => proxy?.close())

    it('stores the proxy (password never shown) and tests one by reaching the chat host through it', async () => {
      const put = await t.app.inject({
        method: 'PUT',
        url: '/proxy/config',
        headers: { token },
        payload: {
          proxy_url: 'socks5://proxy.example.com:1080',
          username: 'usuario',
          password: 'senha123',
          bypass_list: ['localhost', '*.local'],
        },
      })
      assert.equal(put.statusCode, 200, put.body)
      const view = (await get('/proxy/config')).json().data
      assert.deepEqual(view, {
        proxy_url: 'socks5://proxy.example.com:1080',
        username: 'usuario',
        bypass_list: ['localhost', '*.local'],
        enabled: true,
      })
      assert.doesNotMatch((await get('/proxy/config')).body, /senha123/)
      const off = await t.app.inject({
        method: 'PUT',
        url: '/proxy/config',
        headers: { token },
        payload: { proxy_url: '' },
      })
      assert.equal(off.json().data.enabled, false)

      const test = await post('/proxy/test', { proxy_url: proxyUrl })
      assert.equal(test.statusCode, 200, test.body)
      assert.match(test.json().data.response_time, /^\d+ms$/)
      assert.equal(test.json().data.target, new URL(network.net.running.info.wsUrl).host)
      assert.equal(tunnels, 1)
      const authed = await post('/proxy/test', { proxy_url: proxyUrl, username: 'u', password: 'secret' })
      assert.equal(authed.statusCode, 200, authed.body)
      assert.equal(tunnels, 2)
      const wrong = await post('/proxy/test', { proxy_url: proxyUrl, username: 'u', password: 'nope' })
      assert.equal(wrong.statusCode, 400, wrong.body)
      assert.match(wrong.json().error, /407/)
      assert.doesNotMatch(wrong.body, /nope/)
      assert.equal(tunnels, 2)
      const dead = await post('/proxy/test', { proxy_url: 'http://127.0.0.1:1' })
      assert.equal(dead.statusCode, 503, dead.body)
      assert.equal((await post('/proxy/test', { proxy_url: 'ftp://127.0.0.1:21' })).statusCode, 400)
      // A proxy may be private (self-hosted), never the cloud metadata address.
      const metadata = await post('/proxy/test', { proxy_url: 'http://169.254.169.254:80' })
      assert.equal(metadata.statusCode, 400, metadata.body)
      const bad = await t.app.inject({
        method: 'PUT',
        url: '/proxy/config',
        headers: { token },
        payload: { proxy_url: 'not a url' },
      })
      assert.equal(bad.statusCode, 400, bad.body)
    })
  })

  it('stores the AutoPresenceUnavailable switch', async () => {
    assert.equal((await get('/session/presence/config')).json().data.AutoPresenceUnavailable, false)
    const set = await post('/session/presence/config', { enabled: true })
    assert.equal(set.statusCode, 200, set.body)
    assert.equal((await get('/session/presence/config')).json().data.AutoPresenceUnavailable, true)
    assert.equal((await post('/session/presence/config', {})).statusCode, 400)
  })

  it('limits lookups per request and per minute (429) to protect the number', async () => {
    const many = await post('/user/check', { Phone: Array.from({ length: 6 }, (_, i) => `552199400010${i}`) })
    assert.equal(many.statusCode, 429, many.body)
    assert.match(many.json().error, /at most 5/)
    let refused: Awaited<ReturnType<typeof post>> | undefined
    for (let i = 0; i < 10 && !refused; i++) {
      const res = await post('/user/check', {
        Phone: Array.from({ length: 5 }, (_, j) => `55219940${i}${j}00`),
      })
      if (res.statusCode === 429) refused = res
      else assert.equal(res.statusCode, 200, res.body)
    }
    assert.ok(refused, 'the per-minute limit was never reached')
    assert.match(refused.json().error, /in the last minute/)
    // Info and devices count against the same budget.
    assert.equal(
      (await post('/user/info', { Phone: [alice, bob, nobody, '5521994000098', '5521994000097'] }))
        .statusCode,
      429,
    )
  })
})
