import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { eventually } from '../src/testnet/harness.js'
import { createUser, useApp } from './helpers/app.js'
import { useReceiver } from './helpers/receiver.js'
import { linkSession, useNetwork } from './helpers/testnet.js'

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==',
  'base64',
)
/** An Ogg page header followed by filler: enough for the MIME sniffing. */
const OGG = Buffer.concat([Buffer.from('OggS\0\x02', 'latin1'), Buffer.alloc(200, 7)])
const PDF = Buffer.from('%PDF-1.4\n% Boleto\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n')
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

// biome-ignore lint/suspicious/noExplicitAny: WhatsApp's message protos as JSON, read field by field
type Json = Record<string, any>

describe('Mega-api dialect: the 13 sends, received and decrypted by virtual contacts', () => {
  const network = useNetwork()
  const receiver = useReceiver<Json>()
  let files: http.Server
  let filesUrl = ''
  before(async () => {
    files = http.createServer((req, res) => {
      if (req.url === '/px.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(PNG)
      if (req.url === '/promo.html')
        return res
          .writeHead(200, { 'content-type': 'text/html' })
          .end(
            '<html><head><meta property="og:title" content="Promoção de inverno"><meta name="description" content="Só hoje"></head></html>',
          )
      res.writeHead(404).end()
    })
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve))
    filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`
  })
  after(() => files?.close())
  const t = useApp('sqlite', () => ({
    ZAPWIRE_TESTNET: network.net.running.info.controlUrl,
    ZAPWIRE_MEDIA_ALLOW_HOSTS: '127.0.0.1',
  }))
  const me = '5561997000001'
  const alice = '5561997000002'
  const bob = '5561997000003'
  const stranger = '5561997009999'
  const jid = (phone: string) => `${phone}@s.whatsapp.net`
  const KEY = 'megaapi-Send01'
  let bearer: Record<string, string> = {}
  let token = ''
  let group = ''
  const send = (suffix: string, messageData: object, key = KEY) =>
    t.app.inject({
      method: 'POST',
      url: `/rest/sendMessage/${key}/${suffix}`,
      headers: bearer,
      payload: { messageData },
    })
  const inbox = async (phone: string, id: string) => {
    const m = await network.net.inbox(phone, (m) => m.id === id)
    return { ...m, message: m.message as Json }
  }
  const sentTo = (phone: string) => network.net.running.contacts.get(phone)!.inbox.length

  before(async () => {
    await network.net.contact(alice, 'Alice')
    await network.net.contact(bob, 'Bob')
    const user = await createUser(t, { name: 'mega-send', instanceKey: KEY, history: 100 })
    token = user.token
    bearer = { authorization: `Bearer ${user.token}` }
    await linkSession(t, network.net, token, me, 'Loja')
    const hook = await t.app.inject({
      method: 'POST',
      url: `/rest/webhook/${KEY}/configWebhook`,
      headers: bearer,
      payload: { messageData: { webhookUrl: receiver.url(), webhookEnabled: true } },
    })
    assert.equal(hook.statusCode, 200, hook.body)
  })

  it('text (the documented example): the flat fields, formMe and fromMe, and messageData as a WAMessage', async () => {
    const res = await send('text', { to: jid(alice), text: 'Mensagem de Texto\nsegunda linha' })
    assert.equal(res.statusCode, 200, res.body)
    const body = res.json()
    assert.equal(body.error, false)
    assert.equal(body.message, 'Message sent')
    assert.equal(body.remoteJid, jid(alice))
    assert.match(body.remoteJidAlt, /@lid$/)
    assert.equal(body.formMe, true)
    assert.equal(body.fromMe, true)
    assert.match(body.id, /^[0-9A-F]{10,}$/)
    assert.match(body.messageTimestamp, /^\d{10}$/)
    assert.equal(body.text, 'Mensagem de Texto\nsegunda linha')
    const wa = body.messageData
    assert.deepEqual(
      { ...wa.key, remoteJidAlt: undefined },
      { remoteJid: jid(alice), fromMe: true, id: body.id, remoteJidAlt: undefined },
    )
    assert.equal(wa.messageTimestamp, Number(body.messageTimestamp))
    assert.equal(wa.status, 2)
    const text = wa.message.conversation ?? wa.message.extendedTextMessage?.text
    assert.equal(text, 'Mensagem de Texto\nsegunda linha')
    const got = await inbox(alice, body.id)
    assert.equal(got.text, 'Mensagem de Texto\nsegunda linha')
    // A bare number is the same recipient.
    const bare = await send('text', { to: alice, text: 'número sem @' })
    assert.equal(bare.statusCode, 200, bare.body)
    assert.equal(bare.json().remoteJid, jid(alice))
    await inbox(alice, bare.json().id)
  })

  it('textMentioned to a contact and to a group (a group JID): the mention reaches the recipients', async () => {
    const res = await send('textMentioned', {
      to: jid(alice),
      text: `@${bob} Testando...`,
      mentions: [jid(bob)],
    })
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual(res.json().mentionedJid, [jid(bob)])
    const got = await inbox(alice, res.json().id)
    assert.deepEqual(got.message.extendedTextMessage.contextInfo.mentionedJid, [jid(bob)])

    const created = await t.app.inject({
      method: 'POST',
      url: '/group/create',
      headers: { token },
      payload: { Name: 'Equipe', Participants: [alice, bob] },
    })
    assert.equal(created.statusCode, 200, created.body)
    group = created.json().data.JID
    const inGroup = await send('textMentioned', { to: group, text: `@${alice} olá`, mentions: [alice] })
    assert.equal(inGroup.statusCode, 200, inGroup.body)
    assert.equal(inGroup.json().remoteJid, group)
    assert.equal(inGroup.json().messageData.key.remoteJid, group)
    const seen = await inbox(bob, inGroup.json().id)
    assert.equal(seen.chat, group)
    assert.equal(seen.text, `@${alice} olá`)
    const mentioned = seen.message.extendedTextMessage.contextInfo.mentionedJid as string[]
    const aliceLid = `${network.net.network.accounts.get(alice)!.lid}@lid`
    assert.ok(
      mentioned.length === 1 && [jid(alice), aliceLid].includes(mentioned[0]!),
      JSON.stringify(mentioned),
    )
  })

  it('textToMany: each recipient in turn; a number not on WhatsApp is counted as failed, the rest go', async () => {
    const res = await send('textToMany', {
      to: [jid(alice), stranger, bob],
      text: 'Olá mundo!',
    })
    assert.equal(res.statusCode, 200, res.body)
    const body = res.json()
    assert.equal(body.error, false)
    assert.equal(body.sent, 2)
    assert.equal(body.failed, 1)
    assert.deepEqual(body.jidFailed, [stranger])
    assert.equal(body.failures[0].status, 403)
    assert.deepEqual(
      body.data.map((d: Json) => [d.remoteJid, d.formMe, d.text]),
      [
        [jid(alice), true, 'Olá mundo!'],
        [jid(bob), true, 'Olá mundo!'],
      ],
    )
    await inbox(alice, body.data[0].id)
    await inbox(bob, body.data[1].id)
    // The same number alone: 403 in the dialect's shape.
    const single = await send('text', { to: jid(stranger), text: 'x' })
    assert.equal(single.statusCode, 403, single.body)
    assert.equal(single.json().error, true)
    assert.equal(single.json().message, 'WhatsApp number does not exist')
  })

  it('mediaUrl image (caption) from a URL, ptt and a document by base64: the contact decrypts the bytes', async () => {
    const image = await send('mediaUrl', {
      to: jid(alice),
      url: `${filesUrl}/px.png`,
      fileName: 'px.png',
      type: 'image',
      caption: 'um pixel',
      mimeType: 'image/jpeg',
    })
    assert.equal(image.statusCode, 200, image.body)
    const i = image.json()
    assert.equal(i.mimetype, 'image/png', 'the bytes win over the declared type')
    assert.match(i.mediaKey, /^[A-Za-z0-9+/]+=*$/)
    assert.match(i.directPath, /^\//)
    assert.match(i.url, /^https?:\/\//)
    assert.match(i.mediaKeyTimestamp, /^\d+$/)
    assert.equal(i.fileName, 'px.png')
    assert.equal(i.text, 'um pixel')
    assert.equal(i.messageData.message.imageMessage.mediaKey, i.mediaKey)
    const got = await inbox(alice, i.id)
    assert.equal(got.type, 'imageMessage')
    assert.equal(got.text, 'um pixel')
    assert.equal(got.media?.sha256, sha(PNG))

    const voice = await send('mediaBase64', {
      to: jid(alice),
      base64: `data:audio/ogg; codecs=opus;base64,${OGG.toString('base64')}`,
      type: 'ptt',
      mineType: 'audio/ogg; codecs=opus',
    })
    assert.equal(voice.statusCode, 200, voice.body)
    const note = await inbox(alice, voice.json().id)
    assert.equal(note.type, 'audioMessage')
    assert.equal(note.message.audioMessage.ptt, true)
    assert.equal(note.media?.sha256, sha(OGG))

    // The documented example (a boleto), and bare base64 (Zapwire accepts it too).
    for (const base64 of [`data:application/pdf;base64,${PDF.toString('base64')}`, PDF.toString('base64')]) {
      const doc = await send('mediaBase64', {
        to: jid(alice),
        base64,
        fileName: 'Boleto.pdf',
        type: 'document',
        caption: 'Segue o boleto',
        mimeType: 'application/pdf',
      })
      assert.equal(doc.statusCode, 200, doc.body)
      assert.equal(doc.json().fileName, 'Boleto.pdf')
      assert.equal(doc.json().mimetype, 'application/pdf')
      const file = await inbox(alice, doc.json().id)
      assert.equal(
        file.message.documentMessage?.fileName ??
          file.message.documentWithCaptionMessage?.message?.documentMessage?.fileName,
        'Boleto.pdf',
      )
      assert.equal(file.media?.sha256, sha(PDF))
      assert.equal(file.media?.mimetype, 'application/pdf')
    }
  })

  it('mediaUrlToMany fetches the file once and sends it to each (numbers or JIDs)', async () => {
    const res = await send('mediaUrlToMany', {
      to: [jid(alice), bob],
      url: `${filesUrl}/px.png`,
      type: 'image',
      caption: 'para todos',
    })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().sent, 2)
    assert.equal(res.json().failed, 0)
    for (const [phone, d] of [
      [alice, res.json().data[0]],
      [bob, res.json().data[1]],
    ] as const) {
      const got = await inbox(phone, d.id)
      assert.equal(got.media?.sha256, sha(PNG))
      assert.equal(got.text, 'para todos')
    }
  })

  it('location takes degrees as numbers or strings; the documented unsigned integers are refused', async () => {
    const res = await send('location', {
      to: jid(alice),
      address: 'QD 04 Lote 25',
      caption: 'Escola classe',
      latitude: '-15.7470795',
      longitude: -48.2982315,
    })
    assert.equal(res.statusCode, 200, res.body)
    const b = res.json()
    assert.deepEqual(
      [b.degreesLatitude, b.degreesLongitude, b.name, b.address],
      [-15.7470795, -48.2982315, 'Escola classe', 'QD 04 Lote 25'],
    )
    const got = await inbox(alice, b.id)
    const l = got.message.locationMessage
    assert.deepEqual(
      [l.degreesLatitude, l.degreesLongitude, l.name, l.address],
      [-15.7470795, -48.2982315, 'Escola classe', 'QD 04 Lote 25'],
    )
    const before = sentTo(alice)
    const example = await send('location', {
      to: '55119999999@s.whatsapp.net',
      address: 'QD 04 Lote 25',
      caption: 'Escola classe',
      latitude: 157470795,
      longitude: 482982315,
    })
    assert.equal(example.statusCode, 400, example.body)
    assert.equal(example.json().error, true)
    assert.match(example.json().message, /latitude must be degrees between -90 and 90/)
    await new Promise((r) => setTimeout(r, 300))
    assert.equal(sentTo(alice), before)
  })

  it('sendLinkPreview sends the text with the page’s title and description', async () => {
    const url = `${filesUrl}/promo.html`
    const res = await send('sendLinkPreview', { to: jid(alice), textWithLink: `Veja ${url}` })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().text, `Veja ${url}`)
    const got = await inbox(alice, res.json().id)
    const text = got.message.extendedTextMessage
    assert.equal(text.text, `Veja ${url}`)
    assert.equal(text.title, 'Promoção de inverno')
    assert.equal(text.description, 'Só hoje')
  })

  const LIST = {
    buttonText: 'Escolha',
    text: 'Testanto',
    title: 'TEste',
    description: 'Selecione uma forma de pagamento',
    sections: [
      { title: 'PIX', rows: [{ title: 'PIX', description: 'pagamento via PIX', rowId: '01' }] },
      {
        title: 'CARTÃO',
        rows: [{ title: 'Cartão de Crédito', description: 'pagamento via cartão', rowId: '02' }],
      },
    ],
    listType: 0,
  }

  it('listMessage and listMessageToMany (the documented example): rows reach the contacts', async () => {
    const res = await send('listMessage', { to: jid(alice), ...LIST })
    assert.equal(res.statusCode, 200, res.body)
    const b = res.json()
    assert.deepEqual(
      [b.title, b.description, b.buttonText, b.footerText],
      ['TEste', 'Testanto', 'Escolha', 'Selecione uma forma de pagamento'],
    )
    assert.deepEqual(
      b.sections.map((s: Json) => s.rows[0].rowId),
      ['01', '02'],
    )
    const got = (await inbox(alice, b.id)).message.listMessage
    assert.equal(got.buttonText, 'Escolha')
    assert.deepEqual(
      got.sections.map((s: Json) => [s.title, s.rows[0].title, s.rows[0].rowId]),
      [
        ['PIX', 'PIX', '01'],
        ['CARTÃO', 'Cartão de Crédito', '02'],
      ],
    )
    const many = await send('listMessageToMany', { to: [jid(alice), jid(bob)], ...LIST })
    assert.equal(many.statusCode, 200, many.body)
    assert.equal(many.json().sent, 2)
    assert.equal(many.json().data[1].buttonText, 'Escolha')
    const bobs = await inbox(bob, many.json().data[1].id)
    assert.equal(bobs.message.listMessage.sections[1].rows[0].rowId, '02')
  })

  it('contactMessage builds the vCard from its fields', async () => {
    const res = await send('contactMessage', {
      to: jid(alice),
      vcard: {
        fullName: 'Megaapi Whats',
        displayName: 'Megaapi Whats',
        organization: 'Megaapi',
        phoneNumber: '551199999999',
      },
    })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().displayName, 'Megaapi Whats')
    const card = (await inbox(alice, res.json().id)).message.contactMessage
    assert.equal(card.displayName, 'Megaapi Whats')
    assert.equal(card.vcard, res.json().vcard)
    assert.match(card.vcard, /^BEGIN:VCARD\nVERSION:3\.0\nFN:Megaapi Whats\nORG:Megaapi;\n/)
    assert.match(card.vcard, /TEL;type=CELL;type=VOICE;waid=551199999999:\+551199999999\nEND:VCARD$/)
  })

  /** Alice sends to the shop; answers the webhook payload it became. */
  const fromAlice = async (content: object) => {
    const id = await network.net.running.contacts.get(alice)!.send({ to: jid(me), ...content } as never)
    return eventually('the webhook', async () => receiver.calls.find((c) => c.key?.id === id), 15_000)
  }

  it('forwardMessage forwards the webhook’s message{} (text and an image, downloaded and sent again)', async () => {
    const text = await fromAlice({ text: 'Olá bom dia' })
    const res = await send('forwardMessage', { to: jid(bob), key: text.key, message: text.message })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().text, 'Olá bom dia')
    const fwd = await inbox(bob, res.json().id)
    assert.equal(fwd.text, 'Olá bom dia')
    assert.equal(JSON.stringify(fwd.message).includes('"isForwarded":true'), true)

    const image = await fromAlice({ image: { base64: PNG.toString('base64'), mimetype: 'image/png' } })
    const img = await send('forwardMessage', { to: bob, key: image.key, message: image.message })
    assert.equal(img.statusCode, 200, img.body)
    const got = await inbox(bob, img.json().id)
    assert.equal(got.type, 'imageMessage')
    assert.equal(got.media?.sha256, sha(PNG))
    assert.equal(got.message.imageMessage.contextInfo.isForwarded, true)

    // Only the key of a message the store has (the documented example's empty message{}).
    const byKey = await send('forwardMessage', { to: jid(bob), key: text.key, message: {} })
    assert.equal(byKey.statusCode, 200, byKey.body)
    assert.equal((await inbox(bob, byKey.json().id)).text, 'Olá bom dia')
  })

  it('quoteMessage replies to the webhook’s message: the contact sees the quote', async () => {
    const original = await fromAlice({ text: 'Qual o horário?' })
    const res = await send('quoteMessage', {
      to: jid(alice),
      text: 'Das 8h às 18h',
      key: original.key,
      message: original.message,
    })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().text, 'Das 8h às 18h')
    const reply = await inbox(alice, res.json().id)
    assert.equal(reply.text, 'Das 8h às 18h')
    const ctx = reply.message.extendedTextMessage.contextInfo
    assert.equal(ctx.stanzaId, original.key.id)
    assert.equal(ctx.quotedMessage.conversation, 'Qual o horário?')
  })

  it('bad input is a 400 in the dialect’s shape and nothing is sent; not connected is a 401', async () => {
    const before = [sentTo(alice), sentTo(bob)]
    const cases: [string, object][] = [
      ['text', { to: jid(alice) }],
      ['text', { to: 'not a number', text: 'x' }],
      ['text', { to: jid(alice), text: '' }],
      ['textToMany', { to: [jid(alice), 'nope'], text: 'x' }],
      ['textToMany', { to: [], text: 'x' }],
      ['textMentioned', { to: jid(alice), text: 'x', mentions: ['@@'] }],
      ['mediaUrl', { to: jid(alice), url: 'ftp://x/y.png', type: 'image' }],
      ['mediaUrl', { to: jid(alice), url: `${filesUrl}/px.png`, type: 'sticker' }],
      ['mediaUrl', { to: jid(alice), url: `${filesUrl}/missing.png`, type: 'image' }],
      ['mediaUrl', { to: jid(alice), url: `${filesUrl}/px.png`, type: 'video' }],
      ['mediaUrlToMany', { to: [jid(alice), jid(bob)], url: `${filesUrl}/missing.png`, type: 'image' }],
      ['mediaBase64', { to: jid(alice), base64: `${filesUrl}/px.png`, type: 'image' }],
      ['mediaBase64', { to: jid(alice), base64: 'data:image/png;base64,', type: 'image' }],
      ['location', { to: jid(alice), latitude: 'norte', longitude: 1 }],
      ['location', { to: jid(alice), latitude: 10, longitude: 181 }],
      ['sendLinkPreview', { to: jid(alice), textWithLink: 'URL que será enviada' }],
      ['listMessage', { to: jid(alice), ...LIST, sections: [] }],
      ['listMessageToMany', { to: [jid(alice)], ...LIST, buttonText: '' }],
      ['contactMessage', { to: jid(alice), vcard: { fullName: 'X', phoneNumber: '12' } }],
      ['contactMessage', { to: jid(alice), vcard: { phoneNumber: '551199999999' } }],
      ['forwardMessage', { to: jid(bob), key: {}, message: {} }],
      ['forwardMessage', { to: jid(bob), key: { id: 'NOSUCHMESSAGE' }, message: {} }],
      ['forwardMessage', { to: jid(bob), message: { pollCreationMessage: { name: 'x' } } }],
      ['quoteMessage', { to: jid(alice), text: 'x', key: {}, message: {} }],
      ['quoteMessage', { to: jid(alice), text: 'x' }],
      ['quoteMessage', { to: jid(alice), text: 'x', key: { id: 'ABC', participant: 'nobody' } }],
    ]
    for (const [suffix, data] of cases) {
      const res = await send(suffix, data)
      assert.equal(res.statusCode, 400, `${suffix} ${JSON.stringify(data)}: ${res.body}`)
      assert.equal(res.json().error, true)
      assert.equal(typeof res.json().message, 'string')
    }
    // A group this number is not in (WhatsApp: item-not-found) is a 404, not a 500.
    for (const suffix of ['text', 'textMentioned']) {
      const ghost = await send(suffix, { to: '120363000000000999@g.us', text: 'x', mentions: [alice] })
      assert.equal(ghost.statusCode, 404, ghost.body)
      assert.equal(ghost.json().error, true)
    }
    const revokeGhost = await t.app.inject({
      method: 'POST',
      url: `/rest/chat/${KEY}/deleteMessage`,
      headers: bearer,
      payload: { messageData: { to: '120363000000000999@g.us', key: { id: 'ABC', fromMe: true } } },
    })
    assert.equal(revokeGhost.statusCode, 404, revokeGhost.body)
    await new Promise((r) => setTimeout(r, 300))
    assert.deepEqual([sentTo(alice), sentTo(bob)], before)

    const idle = await createUser(t, { name: 'mega-idle', instanceKey: 'megaapi-Idle01' })
    const offline = await t.app.inject({
      method: 'POST',
      url: '/rest/sendMessage/megaapi-Idle01/text',
      headers: { authorization: `Bearer ${idle.token}` },
      payload: { messageData: { to: jid(alice), text: 'x' } },
    })
    assert.equal(offline.statusCode, 401, offline.body)
    assert.equal(offline.json().message, 'Instance not connected to WhatsApp')
    const offlineMany = await t.app.inject({
      method: 'POST',
      url: '/rest/sendMessage/megaapi-Idle01/textToMany',
      headers: { authorization: `Bearer ${idle.token}` },
      payload: { messageData: { to: [jid(alice)], text: 'x' } },
    })
    assert.equal(offlineMany.statusCode, 401, offlineMany.body)
  })
})
