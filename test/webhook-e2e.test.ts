import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { eventually } from '../src/testnet/harness.js'
import { createUser, useApp } from './helpers/app.js'
import { useNetwork } from './helpers/testnet.js'

describe('webhooks end to end: WhatsApp → gateway → webhook', () => {
  const network = useNetwork()
  const calls: { event: string; data: Record<string, unknown> & { Info: Record<string, unknown> } }[] = []
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      calls.push(JSON.parse(Buffer.concat(chunks).toString()))
      res.writeHead(200).end()
    })
  })
  before(() => new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve)))
  after(() => receiver.close())
  const t = useApp('sqlite', () => ({ ZAPWIRE_TESTNET: network.net.running.info.controlUrl }))
  const me = '5521997000001'
  const friend = '5521997000002'

  it('a contact’s message and an echoed API send reach the webhook with phone and LID', async () => {
    await network.net.contact(friend, 'Friend')
    const user = await createUser(t, { name: 'e2e' })
    const headers = { token: user.token }
    const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, headers, payload })
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
    assert.equal((await post('/webhook', { webhook: hook, events: ['Message'] })).statusCode, 200)
    network.net.network.accounts.create(me, 'Shop')
    await post('/session/connect', { Immediate: false })
    const qr = (await t.app.inject({ method: 'GET', url: '/session/status', headers })).json().data
      .qrcode_text
    network.net.network.link(me, qr)
    await eventually(
      'logged in',
      async () =>
        (await t.app.inject({ method: 'GET', url: '/session/status', headers })).json().data.LoggedIn ||
        undefined,
      30_000,
    )
    const id = await network.net.running.contacts
      .get(friend)!
      .send({ to: `${me}@s.whatsapp.net`, text: 'hi shop' })
    const inbound = await eventually(
      'the inbound Message',
      async () => calls.find((c) => c.data.id === id),
      15_000,
    )
    assert.equal(inbound.event, 'Message')
    assert.equal(inbound.data.text, 'hi shop')
    assert.equal(inbound.data.senderPn, `${friend}@s.whatsapp.net`)
    assert.match(String(inbound.data.senderLid), /@lid$/)
    const sent = await post('/chat/send/text', { Phone: friend, Body: 'hello back', EchoApi: true })
    assert.equal(sent.statusCode, 200, sent.body)
    const echo = await eventually(
      'the echoed send',
      async () => calls.find((c) => c.data.id === sent.json().data.Id),
      15_000,
    )
    assert.equal(echo.data.Info.IsFromAPI, true)
    assert.equal(echo.data.Info.IsFromMe, true)
  })
})
