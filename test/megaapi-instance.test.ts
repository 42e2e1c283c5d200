import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import type { WAMessage } from 'baileys'
import QRCode from 'qrcode'
import sharp from 'sharp'
import { eventually } from '../src/testnet/harness.js'
import { shareAppStateKey } from '../src/testnet/phone.js'
import { createUser, useApp } from './helpers/app.js'
import { useReceiver } from './helpers/receiver.js'
import { useNetwork } from './helpers/testnet.js'

type Hooked = Record<string, unknown> & {
  instance_key: string
  messageType: string
  key?: { id?: string; remoteJid?: string }
  message?: Record<string, Record<string, string>>
}

const JPEG = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#c03' } })
  .jpeg()
  .toBuffer()
const JPEG2 = await sharp({ create: { width: 24, height: 24, channels: 3, background: '#0a6' } })
  .jpeg()
  .toBuffer()

describe('Mega-api instance endpoints against the test network', () => {
  const network = useNetwork()
  const receiver = useReceiver<Hooked>()
  // A local file server that image URLs may use (allowed by name; other private hosts are refused).
  let files: http.Server
  let filesUrl = ''
  let filesPort = 0
  before(async () => {
    files = http.createServer((req, res) => {
      if (req.url === '/me.jpg') return res.writeHead(200, { 'content-type': 'image/jpeg' }).end(JPEG2)
      res.writeHead(404).end()
    })
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve))
    filesPort = (files.address() as AddressInfo).port
    filesUrl = `http://localhost:${filesPort}`
  })
  after(() => files?.close())
  const t = useApp('sqlite', () => ({
    ZAPWIRE_TESTNET: network.net.running.info.controlUrl,
    ZAPWIRE_MEDIA_ALLOW_HOSTS: 'localhost',
  }))
  const me = '5521996000001'
  const alice = '5521996000002'
  const bob = '5521996000003'
  const second = '5521996000010'
  const nobody = '5521996000099'
  const pn = (phone: string) => `${phone}@s.whatsapp.net`
  const key = 'megaapi-Inst01'
  let token = ''
  const rest = (method: 'GET' | 'POST' | 'DELETE', path: string, payload?: object, as = token) =>
    t.app.inject({
      method,
      url: `/rest${path}`,
      // As the documented examples: JSON content type on every request, bodies or not.
      headers: { authorization: `Bearer ${as}`, 'content-type': 'application/json' },
      ...(payload ? { payload } : {}),
    })
  const accountOf = (phone: string) => network.net.network.accounts.get(phone)!
  const clientOf = (phone: string) => network.net.running.contacts.get(phone)!.client.socket!
  const hooks = (instance: string, type: string) =>
    receiver.calls.filter((c) => c.instance_key === instance && c.messageType === type)
  const refused = async (res: Awaited<ReturnType<typeof rest>>, status: number, what: string) => {
    assert.equal(res.statusCode, status, `${what} → ${res.body}`)
    assert.equal(res.json().error, true, what)
    assert.equal(typeof res.json().message, 'string', what)
  }

  before(async () => {
    await network.net.contact(alice, 'Alice')
    await network.net.contact(bob, 'Bob')
    token = (await createUser(t, { name: 'Shop', instanceKey: key, history: 50 })).token
    const hook = await rest('POST', `/webhook/${key}/configWebhook`, {
      messageData: { webhookUrl: receiver.url(), webhookEnabled: true },
    })
    assert.equal(hook.statusCode, 200, hook.body)
  })

  it('a fresh instance: qrcode_base64 starts the session and gives the QR as a PNG data URL; linking shows `user`; the QR routes then refuse (403)', async () => {
    const before = await rest('GET', `/instance/${key}`)
    assert.equal(before.json().instance.user, undefined)
    const res = await rest('GET', `/instance/qrcode_base64/${key}`)
    assert.equal(res.statusCode, 200, res.body)
    const body = res.json()
    assert.equal(body.error, false)
    assert.match(body.qrcode, /^data:image\/png;base64,/)
    assert.equal(body.qrcode_base64, body.qrcode)
    const png = Buffer.from(body.qrcode.split(',')[1], 'base64')
    assert.equal(png.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'a PNG')
    // The image encodes the QR the session shows (the same text renders the same PNG).
    const text = await eventually('the image of the session’s QR', async () => {
      const qr = (await t.app.inject({ method: 'GET', url: '/session/status', headers: { token } })).json()
        .data.qrcode_text as string
      const image = (await rest('GET', `/instance/qrcode_base64/${key}`)).json().qrcode
      return qr && image === (await QRCode.toDataURL(qr)) ? qr : undefined
    })
    const page = await rest('GET', `/instance/qrcode/${key}`)
    assert.equal(page.statusCode, 200, page.body)
    assert.match(String(page.headers['content-type']), /^text\/html/)
    assert.match(page.body, /<img id="qrcode" src="data:image\/png;base64,[A-Za-z0-9+/=]+"/)

    network.net.network.accounts.create(me, 'Shop')
    network.net.network.link(me, text)
    const status = await eventually(
      'the status with user',
      async () => (await rest('GET', `/instance/${key}`)).json().instance.user,
      30_000,
    )
    assert.equal(status.id, pn(me))
    assert.equal(status.lid, `${accountOf(me).lid}@lid`)
    for (const path of [`/instance/qrcode/${key}`, `/instance/qrcode_base64/${key}`]) {
      const again = await rest('GET', path)
      assert.equal(again.statusCode, 403, again.body)
      assert.deepEqual(again.json(), { error: true, message: 'User is already logged in' })
    }
    await refused(await rest('GET', `/instance/pairingCode/${key}?phoneNumber=${me}`), 403, 'pairing code')
  })

  it('lists chats, contacts (under `chats`) and a chat’s messages with statuses 2–4 after a contact writes', async () => {
    const id = await network.net.running.contacts.get(alice)!.send({ to: pn(me), text: 'oi' })
    const chat = await eventually('Alice’s chat', async () =>
      ((await rest('GET', `/instance/chats/${key}`)).json().chats as Record<string, unknown>[]).find(
        (c) => c.id === pn(alice),
      ),
    )
    assert.equal(chat.unreadCount, 1)
    assert.equal(chat.lid, `${accountOf(alice).lid}@lid`)
    const ts = chat.conversationTimestamp as { low: number; high: number; unsigned: boolean }
    assert.ok(Math.abs(ts.low - Date.now() / 1000) < 120, JSON.stringify(ts))
    assert.deepEqual([ts.high, ts.unsigned], [0, true])
    const list = await rest('GET', `/instance/chats/${key}`)
    assert.deepEqual(list.json().participants, [])

    const contacts = (await rest('GET', `/instance/contacts/${key}`)).json()
    assert.equal(contacts.error, false)
    const contact = (contacts.chats as Record<string, unknown>[]).find((c) => c.id === pn(alice))
    assert.deepEqual(contact, {
      id: pn(alice),
      lid: `${accountOf(alice).lid}@lid`,
      name: 'Alice',
      notify: 'Alice',
      verifiedName: '',
    })

    // An answer, read by Alice: its status goes to 4.
    const sent = await t.app.inject({
      method: 'POST',
      url: '/chat/send/text',
      headers: { token },
      payload: { Phone: alice, Body: 'olá' },
    })
    assert.equal(sent.statusCode, 200, sent.body)
    const sentId = sent.json().data.Id as string
    type Item = { remoteJid: string; id: string; fromMe: boolean; status: number; key: object }
    const messages = async (chatId: string) => {
      const res = await rest('GET', `/instance/messages/${key}?chat_id=${encodeURIComponent(chatId)}`)
      assert.equal(res.statusCode, 200, res.body)
      return res.json().messages as Item[]
    }
    const delivered = await eventually(
      'the answer delivered (3)',
      async () => {
        const items = await messages(alice)
        return items.find((m) => m.id === sentId && m.status === 3) ? items : undefined
      },
      20_000,
    )
    const inbound = delivered.find((m) => m.id === id)!
    assert.deepEqual(
      { remoteJid: inbound.remoteJid, fromMe: inbound.fromMe, status: inbound.status, key: inbound.key },
      { remoteJid: pn(alice), fromMe: false, status: 3, key: { remoteJid: pn(alice), fromMe: false, id } },
    )
    assert.match(
      String((inbound as Item & { messageType: string }).messageType),
      /^(conversation|extendedTextMessage)$/,
    )
    assert.ok(
      delivered.findIndex((m) => m.id === id) < delivered.findIndex((m) => m.id === sentId),
      'oldest first',
    )
    await clientOf(alice).readMessages([{ remoteJid: pn(me), id: sentId, fromMe: false }])
    const read = await eventually('read (4)', async () =>
      (await messages(pn(alice))).find((m) => m.id === sentId && m.status === 4),
    )
    assert.equal(read.fromMe, true)
    assert.equal(read.remoteJid, pn(alice))

    // History 0: nothing is stored, the route says so (501).
    const off = await createUser(t, { name: 'no-history', instanceKey: 'megaapi-NoHist', history: 0 })
    const disabled = await rest(
      'GET',
      `/instance/messages/megaapi-NoHist?chat_id=${alice}`,
      undefined,
      off.token,
    )
    await refused(disabled, 501, 'history 0')
    assert.match(disabled.json().message, /history is disabled/)
    await refused(await rest('GET', `/instance/messages/${key}`), 400, 'no chat_id')
    await refused(await rest('GET', `/instance/messages/${key}?chat_id=hello`), 400, 'chat_id hello')
    await refused(await rest('GET', `/instance/messages/${key}?chat_id=${alice}&limit=0`), 400, 'limit 0')
  })

  it('downloads a received image from the fields of its webhook (the bytes match)', async () => {
    const id = await network.net.running.contacts.get(alice)!.send({
      to: pn(me),
      image: { base64: JPEG.toString('base64'), mimetype: 'image/jpeg' },
    })
    const hooked = await eventually('the image webhook', async () =>
      receiver.calls.find((c) => c.key?.id === id),
    )
    assert.equal(hooked.messageType, 'imageMessage')
    const image = hooked.message!.imageMessage!
    const messageKeys = {
      mediaKey: image.mediaKey,
      directPath: image.directPath,
      url: image.url,
      mimetype: image.mimetype,
      messageType: 'image',
    }
    const res = await rest('POST', `/instance/downloadMediaMessage/${key}`, { messageKeys })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().error, false)
    assert.equal(res.json().data, JPEG.toString('base64'))
    // The webhook's own messageType and the tables' `mineType` spelling are accepted too.
    const { mimetype, ...rest_ } = messageKeys
    const alt = await rest('POST', `/instance/downloadMediaMessage/${key}`, {
      messageKeys: { ...rest_, mineType: mimetype, messageType: 'imageMessage' },
    })
    assert.equal(alt.statusCode, 200, alt.body)
    assert.equal(alt.json().data, JPEG.toString('base64'))
    for (const [what, bad] of [
      ['no messageKeys', {}],
      ['no mediaKey', { messageKeys: { ...messageKeys, mediaKey: undefined } }],
      ['messageType pdf', { messageKeys: { ...messageKeys, messageType: 'pdf' } }],
      [
        'wrong mediaKey',
        { messageKeys: { ...messageKeys, mediaKey: Buffer.alloc(32, 1).toString('base64') } },
      ],
    ] as const)
      await refused(await rest('POST', `/instance/downloadMediaMessage/${key}`, bad), 400, what)
  })

  it('gets a contact’s profile picture URL (`to` or `chat_id`, icon or image); 404 without one', async () => {
    await clientOf(alice).updateProfilePicture(pn(alice), JPEG)
    const image = await rest('GET', `/instance/getProfilePicture/${key}?to=${alice}&type=image`)
    assert.equal(image.statusCode, 200, image.body)
    assert.equal(image.json().error, false)
    assert.equal(image.json().data, accountOf(alice).picture!.url)
    assert.equal(image.json().id, accountOf(alice).picture!.id)
    const icon = await rest(
      'GET',
      `/instance/getProfilePicture/${key}?chat_id=${encodeURIComponent(pn(alice))}&type=icon`,
    )
    assert.equal(icon.statusCode, 200, icon.body)
    assert.equal(icon.json().type, 'preview')
    assert.match(icon.json().data, /^https?:\/\//)
    await refused(await rest('GET', `/instance/getProfilePicture/${key}?to=${bob}`), 404, 'no picture')
    await refused(await rest('GET', `/instance/getProfilePicture/${key}`), 400, 'no chat_id')
    await refused(await rest('GET', `/instance/getProfilePicture/${key}?to=${alice}&type=huge`), 400, 'type')
  })

  it('sets its own status, picture (from a URL) and name; a contact sees each', async () => {
    const status = await rest('POST', `/instance/setProfileStatus/${key}`, {
      messageData: { status: 'Mega-api, a melhor api pra whatsapp no Brasil' },
    })
    assert.equal(status.statusCode, 200, status.body)
    assert.equal(status.json().error, false)
    const [seen] = (await clientOf(alice).fetchStatus(pn(me))) ?? []
    assert.equal(
      (seen?.status as { status?: string } | undefined)?.status,
      'Mega-api, a melhor api pra whatsapp no Brasil',
    )
    await refused(
      await rest('POST', `/instance/setProfileStatus/${key}`, { messageData: { status: 'x'.repeat(140) } }),
      400,
      'status too long',
    )
    await refused(await rest('POST', `/instance/setProfileStatus/${key}`, {}), 400, 'no status')

    const url = `${filesUrl}/me.jpg`
    const picture = await rest('POST', `/instance/setProfilePictureUrl/${key}`, {
      messageData: { to: pn(me), url },
    })
    assert.equal(picture.statusCode, 200, picture.body)
    assert.equal(picture.json().pictureId, accountOf(me).picture!.id)
    assert.equal(await clientOf(alice).profilePictureUrl(pn(me), 'image'), accountOf(me).picture!.url)
    const pictureId = accountOf(me).picture!.id
    for (const [what, messageData] of [
      ['someone else’s JID', { to: pn(alice), url }],
      ['the docs’ placeholder', { to: 'Mega-api', url: 'URL da imagem' }],
      ['not an http URL', { to: me, url: 'ftp://example.com/a.jpg' }],
      ['a private address', { to: me, url: `http://127.0.0.1:${filesPort}/me.jpg` }],
      ['no url', { to: me }],
    ] as const)
      await refused(await rest('POST', `/instance/setProfilePictureUrl/${key}`, { messageData }), 400, what)
    assert.equal(accountOf(me).picture!.id, pictureId, 'nothing changed')

    // The name is an app-state patch: it needs the key the phone shares.
    const device = [...accountOf(me).devices.keys()][0]!
    await shareAppStateKey(network.net.network, accountOf(me), device)
    const named = await eventually('the name set', async () => {
      const r = await rest('POST', `/instance/setProfileName/${key}`, { messageData: { name: 'Mega-api' } })
      return r.statusCode === 200 ? r : undefined
    })
    assert.equal(named.json().error, false)
    await eventually('the network’s push name', () => accountOf(me).name === 'Mega-api')
    // Alice sees the name on the next message.
    const pushNames = new Map<string, string>()
    clientOf(alice).ev.on('messages.upsert', ({ messages }: { messages: WAMessage[] }) => {
      for (const m of messages) if (m.key.id) pushNames.set(m.key.id, m.pushName ?? '')
    })
    const sent = await t.app.inject({
      method: 'POST',
      url: '/chat/send/text',
      headers: { token },
      payload: { Phone: alice, Body: 'new name' },
    })
    assert.equal(sent.statusCode, 200, sent.body)
    assert.equal(await eventually('Alice gets it', () => pushNames.get(sent.json().data.Id)), 'Mega-api')
    await refused(
      await rest('POST', `/instance/setProfileName/${key}`, { messageData: { name: '  ' } }),
      400,
      'blank name',
    )
    await refused(await rest('POST', `/instance/setProfileName/${key}`, { messageData: {} }), 400, 'no name')
  })

  it('isOnWhatsApp answers {exists, jid} (and the LID) for a bare number or a JID', async () => {
    const yes = await rest('GET', `/instance/isOnWhatsApp/${key}?jid=${alice}`)
    assert.equal(yes.statusCode, 200, yes.body)
    assert.deepEqual(yes.json(), { exists: true, jid: pn(alice), lid: `${accountOf(alice).lid}@lid` })
    const byJid = await rest('GET', `/instance/isOnWhatsApp/${key}?jid=${encodeURIComponent(pn(bob))}`)
    assert.deepEqual(byJid.json(), { exists: true, jid: pn(bob), lid: `${accountOf(bob).lid}@lid` })
    const no = await rest('GET', `/instance/isOnWhatsApp/${key}?jid=${nobody}`)
    assert.deepEqual(no.json(), { exists: false, jid: pn(nobody), lid: '' })
    await refused(await rest('GET', `/instance/isOnWhatsApp/${key}`), 400, 'no jid')
    await refused(await rest('GET', `/instance/isOnWhatsApp/${key}?jid=hello`), 400, 'jid hello')
    await refused(
      await rest('GET', `/instance/isOnWhatsApp/${key}?jid=120363000000000001@g.us`),
      400,
      'a group',
    )
  })

  it('links a second instance by pairing code; logout leaves no `user` and posts connection_update close', async () => {
    const key2 = 'megaapi-Inst02'
    const token2 = (await createUser(t, { name: 'Second', instanceKey: key2 })).token
    assert.equal(
      (
        await rest(
          'POST',
          `/webhook/${key2}/configWebhook`,
          { messageData: { webhookUrl: receiver.url() } },
          token2,
        )
      ).statusCode,
      200,
    )
    await refused(
      await rest('GET', `/instance/pairingCode/${key2}?phoneNumber=12ab`, undefined, token2),
      400,
      'short',
    )
    await refused(
      await rest('GET', `/instance/pairingCode/${key2}`, undefined, token2),
      400,
      'no phoneNumber',
    )
    // Logging out or restarting an instance that was never linked.
    await refused(
      await rest('DELETE', `/instance/${key2}/restart`, undefined, token2),
      400,
      'restart unlinked',
    )

    network.net.network.accounts.create(second, 'Second')
    const res = await rest('GET', `/instance/pairingCode/${key2}?phoneNumber=${second}`, undefined, token2)
    assert.equal(res.statusCode, 200, res.body)
    assert.match(res.json().pairingCode, /^[0-9A-Z]{8}$/)
    assert.equal(res.json().code, res.json().pairingCode)
    await network.net.network.linkByCode(second, res.json().pairingCode)
    const user = await eventually(
      'the second instance linked',
      async () => (await rest('GET', `/instance/${key2}`, undefined, token2)).json().instance.user,
      30_000,
    )
    assert.equal(user.id, pn(second))

    const out = await rest('DELETE', `/instance/${key2}/logout`, undefined, token2)
    assert.equal(out.statusCode, 200, out.body)
    assert.equal(out.json().error, false)
    const status = (await rest('GET', `/instance/${key2}`, undefined, token2)).json()
    assert.equal(status.instance.user, undefined)
    assert.equal(status.instance.connected, false)
    const closed = await eventually('connection_update close', async () =>
      hooks(key2, 'connection_update').find((c) => c.connection_state === 'close'),
    )
    assert.equal(closed.jid, pn(second))
    assert.equal(accountOf(second).devices.size, 0, 'the device is unlinked on the network')
    await refused(
      await rest('GET', `/instance/isOnWhatsApp/${key2}?jid=${alice}`, undefined, token2),
      401,
      'after logout',
    )
    // As documented, a new QR afterwards is posted too (messageType qrcode).
    const qr = await rest('GET', `/instance/qrcode_base64/${key2}`, undefined, token2)
    assert.equal(qr.statusCode, 200, qr.body)
    assert.match(qr.json().qrcode, /^data:image\/png;base64,/)
    await eventually('the same QR posted to the webhook', async () => {
      for (const c of hooks(key2, 'qrcode'))
        if (typeof c.qrcode === 'string' && (await QRCode.toDataURL(c.qrcode)) === qr.json().qrcode)
          return true
      return undefined
    })
  })

  it('restart reconnects the linked session', async () => {
    const opens = hooks(key, 'connection_update').filter((c) => c.connection_state === 'open').length
    assert.ok(opens >= 1)
    const res = await rest('DELETE', `/instance/${key}/restart`)
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().instance.connected, true)
    assert.equal(res.json().instance.user.id, pn(me))
    await eventually(
      'a new connection_update open',
      async () =>
        hooks(key, 'connection_update').filter((c) => c.connection_state === 'open').length > opens ||
        undefined,
    )
    const check = await rest('GET', `/instance/isOnWhatsApp/${key}?jid=${alice}`)
    assert.equal(check.json().exists, true)
  })
})
