import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { eventually } from '../src/testnet/harness.js'
import { createUser, useApp, userRequests } from './helpers/app.js'
import { DIALECTS } from './helpers/databases.js'
import { linkSession, useNetwork } from './helpers/testnet.js'

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==',
  'base64',
)
/** An Ogg page header followed by filler: enough for the MIME sniffing. */
const OGG = Buffer.concat([Buffer.from('OggS\0\x02', 'latin1'), Buffer.alloc(200, 7)])
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

for (const dialect of DIALECTS) {
  describe(`${dialect}: messaging against the test network`, () => {
    const network = useNetwork()
    // A local file server that media URLs may use (allowed by name; every other private host is refused).
    let files: http.Server
    let filesUrl = ''
    before(async () => {
      files = http.createServer((req, res) => {
        if (req.url === '/px.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(PNG)
        if (req.url === '/menu.html')
          return res
            .writeHead(200, { 'content-type': 'text/html' })
            .end(
              '<html><head><meta property="og:title" content="Our menu &amp; prices"><meta name="description" content="Fresh every day"></head></html>',
            )
        res.writeHead(404).end()
      })
      await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve))
      filesUrl = `http://localhost:${(files.address() as AddressInfo).port}`
    })
    after(() => files?.close())
    const t = useApp(dialect, () => ({
      ZAPWIRE_TESTNET: network.net.running.info.controlUrl,
      ZAPWIRE_MEDIA_ALLOW_HOSTS: 'localhost',
    }))
    const base = dialect === 'sqlite' ? '55219910' : '55219920'
    const me = `${base}0001`
    const echo = `${base}0002`
    const alice = `${base}0003`
    let token = ''
    const user = userRequests(t, () => token)
    const { post, get } = user
    const events = (type: string) =>
      user.events<{
        id: string
        data: Record<string, unknown> & { Info: Record<string, unknown> }
      }>(type)

    before(async () => {
      await network.net.contact(echo, 'Echo', true)
      await network.net.contact(alice, 'Alice')
      const user = await createUser(t, { name: 'shop', history: 100 })
      token = user.token
      await linkSession(t, network.net, token, me, 'Shop')
    })

    it('sends a text, stores it, and the echo contact’s reply arrives as a Message event with phone and LID', async () => {
      const res = await post('/chat/send/text', { Phone: echo, Body: 'hello echo' })
      assert.equal(res.statusCode, 200, res.body)
      const sent = res.json().data
      assert.equal(sent.Details, 'Sent')
      assert.match(sent.Id, /^[0-9A-F]{10,}$/)
      assert.ok(!Number.isNaN(Date.parse(sent.Timestamp)))
      assert.equal(sent.Jid, `${echo}@s.whatsapp.net`)
      const got = await network.net.inbox(echo, (m) => m.id === sent.Id)
      assert.equal(got.text, 'hello echo')
      const reply = await eventually(
        'the echo',
        async () => (await events('Message')).find((e) => e.data.text === 'hello echo' && !e.data.fromMe),
        15_000,
      )
      assert.equal(reply.data.senderPn, `${echo}@s.whatsapp.net`)
      assert.match(String(reply.data.senderLid), /^\d+@lid$/)
      assert.equal(reply.data.Info.Sender, `${echo}@s.whatsapp.net`)
      assert.equal(reply.data.Info.IsFromMe, false)
      assert.equal(reply.data.Info.PushName, 'Echo')
      // The store has both, newest first.
      const history = await get(`/chat/history?chat_jid=${echo}&limit=10`)
      assert.equal(history.statusCode, 200, history.body)
      const items = history.json().data as { message_id: string; from_me: boolean; text_content: string }[]
      assert.deepEqual(
        items.map((i) => [i.from_me, i.text_content]),
        [
          [false, 'hello echo'],
          [true, 'hello echo'],
        ],
      )
      // The contact store learned Echo's push name and LID from the message.
      const contacts = (await get('/user/contacts')).json().data
      assert.equal(contacts[`${echo}@s.whatsapp.net`].PushName, 'Echo')
      assert.match(contacts[`${echo}@s.whatsapp.net`].Lid, /@lid$/)
      // The chat list knows the chat, its name, LID and unread count; reading it clears the count.
      const chatOf = async () =>
        (await get('/chat/list'))
          .json()
          .chats.find((c: { chat_jid: string }) => c.chat_jid === `${echo}@s.whatsapp.net`)
      const chat = await chatOf()
      assert.equal(chat.name, 'Echo')
      assert.match(chat.lid, /@lid$/)
      assert.equal(chat.unread_count, 1)
      const read = await post('/chat/markread', { Id: [reply.data.id], Chat: echo })
      assert.equal(read.statusCode, 200, read.body)
      assert.equal((await chatOf()).unread_count, 0)
      // Paging from the oldest seen.
      const older = await get(`/chat/history?chat_jid=${echo}&limit=10&before=${items[0]!.message_id}`)
      assert.deepEqual(
        older.json().data.map((i: { from_me: boolean }) => i.from_me),
        [true],
      )
    })

    it('a client-supplied Id sent twice is one WhatsApp message', async () => {
      const body = { Phone: alice, Body: 'only once', Id: `ONCE${dialect.toUpperCase()}0001` }
      const [a, b] = await Promise.all([post('/chat/send/text', body), post('/chat/send/text', body)])
      assert.equal(a.statusCode, 200, a.body)
      assert.equal(b.statusCode, 200, b.body)
      assert.deepEqual(a.json().data, b.json().data)
      await network.net.inbox(alice, (m) => m.id === body.Id)
      await new Promise((r) => setTimeout(r, 500))
      const contact = network.net.running.contacts.get(alice)!
      assert.equal(contact.inbox.filter((m) => m.id === body.Id).length, 1)
    })

    it('EchoApi reports an API send as a Message event (IsFromAPI); without it nothing is echoed', async () => {
      const echoed = await post('/chat/send/text', { Phone: alice, Body: 'echo me', EchoApi: true })
      assert.equal(echoed.statusCode, 200, echoed.body)
      const quiet = await post('/chat/send/text', { Phone: alice, Body: 'do not echo' })
      assert.equal(quiet.statusCode, 200, quiet.body)
      const messages = await events('Message')
      const event = messages.find((e) => e.data.Info.ID === echoed.json().data.Id)
      assert.ok(event, 'the echoed send is a Message event')
      assert.equal(event.data.Info.IsFromAPI, true)
      assert.equal(event.data.Info.IsFromMe, true)
      assert.equal(event.data.text, 'echo me')
      assert.equal(event.data.chatPn, `${alice}@s.whatsapp.net`)
      assert.ok(!messages.some((e) => e.data.Info.ID === quiet.json().data.Id))
    })

    it('sends media from base64, a data URL and an allowed URL; the contact decrypts the same bytes', async () => {
      const image = await post('/chat/send/image', {
        Phone: alice,
        Image: `data:image/png;base64,${PNG.toString('base64')}`,
        Caption: 'a pixel',
      })
      assert.equal(image.statusCode, 200, image.body)
      const got = await network.net.inbox(alice, (m) => m.id === image.json().data.Id)
      assert.equal(got.type, 'imageMessage')
      assert.equal(got.text, 'a pixel')
      assert.equal(got.media?.sha256, sha(PNG))
      assert.equal(got.media?.mimetype, 'image/png')

      const byUrl = await post('/chat/send/image', { Phone: alice, Image: `${filesUrl}/px.png` })
      assert.equal(byUrl.statusCode, 200, byUrl.body)
      assert.equal(
        (await network.net.inbox(alice, (m) => m.id === byUrl.json().data.Id)).media?.sha256,
        sha(PNG),
      )

      const doc = await post('/chat/send/document', {
        Phone: alice,
        Document: Buffer.from('hello, file').toString('base64'),
        FileName: 'hello.txt',
        MimeType: 'text/plain',
      })
      assert.equal(doc.statusCode, 200, doc.body)
      const file = await network.net.inbox(alice, (m) => m.id === doc.json().data.Id)
      assert.equal(file.media?.sha256, sha(Buffer.from('hello, file')))
      assert.equal(file.media?.mimetype, 'text/plain')

      const voice = await post('/chat/send/audio', {
        Phone: alice,
        Audio: `data:audio/ogg; codecs=opus;base64,${OGG.toString('base64')}`,
      })
      assert.equal(voice.statusCode, 200, voice.body)
      const note = await network.net.inbox(alice, (m) => m.id === voice.json().data.Id)
      assert.equal(note.type, 'audioMessage')
      assert.equal((note.message as { audioMessage: { ptt: boolean } }).audioMessage.ptt, true)
      assert.equal(note.media?.sha256, sha(OGG))
    })

    it('sends video, round video (PTV), sticker, view-once image, event and link: the contact gets each', async () => {
      const MP4 = Buffer.concat([
        Buffer.from([0, 0, 0, 0x18]),
        Buffer.from('ftypisom', 'latin1'),
        Buffer.alloc(300, 1),
      ])
      const WEBP = Buffer.concat([
        Buffer.from('RIFF', 'latin1'),
        Buffer.from([100, 0, 0, 0]),
        Buffer.from('WEBPVP8 ', 'latin1'),
        Buffer.alloc(96, 2),
      ])
      const cases: [
        string,
        object,
        (m: { type: string; text?: string; media?: { sha256: string }; message: unknown }) => void,
      ][] = [
        [
          '/chat/send/video',
          { Video: MP4.toString('base64'), Caption: 'clip' },
          (m) => {
            assert.equal(m.type, 'videoMessage')
            assert.equal(m.text, 'clip')
            assert.equal(m.media?.sha256, sha(MP4))
          },
        ],
        ['/chat/send/ptv', { Video: MP4.toString('base64') }, (m) => assert.equal(m.type, 'ptvMessage')],
        [
          '/chat/send/sticker',
          { Sticker: WEBP.toString('base64') },
          (m) => {
            assert.equal(m.type, 'stickerMessage')
            assert.equal(m.media?.sha256, sha(WEBP))
          },
        ],
        [
          '/chat/send/image',
          { Image: PNG.toString('base64'), ViewOnce: true },
          (m) => assert.match(JSON.stringify(m.message), /viewOnce/),
        ],
        [
          '/chat/send/event',
          { Name: 'Launch', StartTime: 1_900_000_000, Location: 'Shop' },
          (m) => assert.match(JSON.stringify(m.message), /"eventMessage".*"name":"Launch"/),
        ],
        [
          '/chat/send/link',
          { Link: 'https://example.com/menu', Caption: 'Menu' },
          (m) => assert.equal(m.text, 'Menu\nhttps://example.com/menu'),
        ],
      ]
      for (const [url, body, check] of cases) {
        const res = await post(url, { Phone: alice, ...body })
        assert.equal(res.statusCode, 200, `${url}: ${res.body}`)
        check(await network.net.inbox(alice, (m) => m.id === res.json().data.Id))
      }
    })

    it('builds a link preview from the page (fetched under the media URL rules) when LinkPreview is true', async () => {
      const url = `${filesUrl}/menu.html`
      const res = await post('/chat/send/text', { Phone: alice, Body: `See ${url}`, LinkPreview: true })
      assert.equal(res.statusCode, 200, res.body)
      const got = await network.net.inbox(alice, (m) => m.id === res.json().data.Id)
      const text = (
        got.message as { extendedTextMessage: { title: string; description: string; matchedText: string } }
      ).extendedTextMessage
      assert.equal(text.title, 'Our menu & prices')
      assert.equal(text.description, 'Fresh every day')
      assert.equal(text.matchedText, url)
      // A private address that is not allowed gets no preview (the text still goes).
      const plain = await post('/chat/send/text', {
        Phone: alice,
        Body: 'See http://127.0.0.1:9/x',
        LinkPreview: true,
      })
      assert.equal(plain.statusCode, 200, plain.body)
      const p = await network.net.inbox(alice, (m) => m.id === plain.json().data.Id)
      assert.equal(
        (p.message as { extendedTextMessage?: { title?: string } }).extendedTextMessage?.title,
        undefined,
      )
    })

    it('sends location, contact, poll; replies, mentions, reacts, edits and deletes reach the contact', async () => {
      const loc = await post('/chat/send/location', {
        Phone: alice,
        Latitude: -23.5,
        Longitude: -46.6,
        Name: 'SP',
      })
      assert.equal(loc.statusCode, 200, loc.body)
      const place = await network.net.inbox(alice, (m) => m.id === loc.json().data.Id)
      const l = (place.message as { locationMessage: { degreesLatitude: number; name: string } })
        .locationMessage
      assert.equal(l.degreesLatitude, -23.5)
      assert.equal(l.name, 'SP')

      const vcard =
        'BEGIN:VCARD\nVERSION:3.0\nFN:Bob\nTEL;type=CELL;waid=5511999999999:+55 11 99999-9999\nEND:VCARD'
      const card = await post('/chat/send/contact', { Phone: alice, Name: 'Bob', Vcard: vcard })
      assert.equal(card.statusCode, 200, card.body)
      const c = await network.net.inbox(alice, (m) => m.id === card.json().data.Id)
      assert.equal((c.message as { contactMessage: { vcard: string } }).contactMessage.vcard, vcard)

      const poll = await post('/chat/send/poll', { Phone: alice, Header: 'Lunch?', Options: ['yes', 'no'] })
      assert.equal(poll.statusCode, 200, poll.body)
      assert.equal(poll.json().data.Details, 'Poll sent successfully')
      const p = await network.net.inbox(alice, (m) => m.id === poll.json().data.Id)
      assert.equal(
        p.text ?? (p.message as { pollCreationMessageV3?: { name: string } }).pollCreationMessageV3?.name,
        'Lunch?',
      )

      const first = (await post('/chat/send/text', { Phone: alice, Body: 'first' })).json().data.Id
      await network.net.inbox(alice, (m) => m.id === first)
      const reply = await post('/chat/send/text', {
        Phone: alice,
        Body: `a reply for @${alice}`,
        ContextInfo: { StanzaId: first, MentionedJID: [`${alice}@s.whatsapp.net`] },
      })
      assert.equal(reply.statusCode, 200, reply.body)
      const r = await network.net.inbox(alice, (m) => m.id === reply.json().data.Id)
      const ctx = (
        r.message as { extendedTextMessage: { contextInfo: { stanzaId: string; mentionedJid: string[] } } }
      ).extendedTextMessage.contextInfo
      assert.equal(ctx.stanzaId, first)
      assert.deepEqual(ctx.mentionedJid, [`${alice}@s.whatsapp.net`])

      const react = await post('/chat/react', { Phone: alice, Body: '👍', Id: `me:${first}` })
      assert.equal(react.statusCode, 200, react.body)
      const reaction = await network.net.inbox(alice, (m) => m.type === 'reactionMessage')
      const rm = (reaction.message as { reactionMessage: { text: string; key: { id: string } } })
        .reactionMessage
      assert.deepEqual([rm.text, rm.key.id], ['👍', first])

      const edit = await post('/chat/send/edit', { Phone: alice, Id: first, Body: 'first, edited' })
      assert.equal(edit.statusCode, 200, edit.body)
      assert.equal(edit.json().data.Details, 'Message edited successfully')
      await network.net.inbox(
        alice,
        (m) =>
          m.type === 'protocolMessage' &&
          (m.message as { protocolMessage: { type: string; key: { id: string } } }).protocolMessage.key
            ?.id === first &&
          String((m.message as { protocolMessage: { type: string } }).protocolMessage.type) !== '0',
      )
      const del = await post('/chat/delete', { Phone: alice, Id: first })
      assert.equal(del.statusCode, 200, del.body)
      await network.net.inbox(
        alice,
        (m) =>
          m.type === 'protocolMessage' &&
          [0, 'REVOKE'].includes(
            (m.message as { protocolMessage: { type: number | string } }).protocolMessage.type,
          ),
      )
      const stored = (await get(`/chat/history?chat_jid=${alice}&limit=100`))
        .json()
        .data.find((i: { message_id: string }) => i.message_id === first)
      assert.equal(stored.edited, true)
      assert.equal(stored.revoked, true)
      assert.equal(stored.text_content, 'first, edited')
    })

    it('inbound of every kind is stored and reported: media, reaction, edit, revoke, decrypted poll vote', async () => {
      const contact = network.net.running.contacts.get(alice)!
      const to = `${me}@s.whatsapp.net`
      const text = await contact.send({ to, text: 'from alice' })
      const img = await contact.send({ to, image: { base64: PNG.toString('base64'), mimetype: 'image/png' } })
      await contact.send({ to, reaction: { id: text, emoji: '❤️' } })
      await contact.send({ to, edit: { id: text, text: 'from alice (edited)' } })
      const poll = (
        await post('/chat/send/poll', { Phone: alice, Header: 'Tea?', Options: ['green', 'black'] })
      ).json().data.Id
      await network.net.inbox(alice, (m) => m.id === poll)
      await contact.send({ to, vote: { poll, options: ['black'] } })
      const byType = async () => {
        const list = await events('Message')
        return (type: string) => list.filter((e) => e.data.type === type && !e.data.fromMe)
      }
      const found = await eventually(
        'every inbound kind',
        async () => {
          const of = await byType()
          return of('image').some((e) => e.data.id === img) &&
            of('reaction').length > 0 &&
            of('edit').length > 0 &&
            of('poll_vote').length > 0
            ? of
            : undefined
        },
        15_000,
      )
      const image = found('image').find((e) => e.data.id === img)!
      assert.equal((image.data.media as { mimetype: string }).mimetype, 'image/png')
      assert.equal(image.data.Info.MediaType, 'image')
      const updates = (await events('MessageUpdate')).map((e) => e.data)
      assert.ok(updates.some((u) => u.Kind === 'reaction' && u.ID === text && u.Reaction === '❤️'))
      assert.ok(updates.some((u) => u.Kind === 'edit' && u.ID === text && u.Text === 'from alice (edited)'))
      assert.ok(
        updates.some(
          (u) => u.Kind === 'poll_vote' && u.ID === poll && JSON.stringify(u.Votes) === '["black"]',
        ),
      )
      const history = (await get(`/chat/history?chat_jid=${alice}&limit=100`)).json().data
      const stored = history.find((i: { message_id: string }) => i.message_id === text)
      assert.equal(stored.text_content, 'from alice (edited)')
      assert.deepEqual(Object.values(stored.reactions), ['❤️'])
      const storedPoll = history.find((i: { message_id: string }) => i.message_id === poll)
      assert.deepEqual(Object.values(storedPoll.votes), [['black']])
      // Delivery and read receipts for our sends.
      await eventually(
        'a read receipt',
        async () => {
          const id = (await post('/chat/send/text', { Phone: alice, Body: 'read me' })).json().data.Id
          await contact.client.socket!.readMessages([
            { remoteJid: `${me}@s.whatsapp.net`, id, fromMe: false },
          ])
          return (await events('ReadReceipt')).find((e) => e.data.state === 'Read') ?? undefined
        },
        15_000,
      )
    })

    it('typing goes both ways: /chat/presence reaches the contact, the contact’s typing is a ChatPresence event', async () => {
      const contact = network.net.running.contacts.get(alice)!
      const seen = contact.client.waitFor(
        'presence.update',
        (u: { presences: Record<string, { lastKnownPresence: string }> }) =>
          Object.values(u.presences).some((p) => p.lastKnownPresence === 'composing'),
        10_000,
      )
      const res = await post('/chat/presence', { Phone: alice, State: 'composing' })
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(res.json().data.Details, 'Chat presence set successfuly')
      await seen
      await contact.client.socket!.sendPresenceUpdate('composing', `${me}@s.whatsapp.net`)
      const typing = await eventually(
        'ChatPresence',
        async () => (await events('ChatPresence')).find((e) => e.data.state === 'composing'),
        10_000,
      )
      assert.equal(typing.data.sender, `${alice}@s.whatsapp.net`)
      assert.equal((await post('/chat/presence', { Phone: alice, State: 'dancing' })).statusCode, 400)
    })

    /** Alice sends the PNG; answers its id and the Message event it became. */
    const imageFromAlice = async () => {
      const id = await network.net.running.contacts.get(alice)!.send({
        to: `${me}@s.whatsapp.net`,
        image: { base64: PNG.toString('base64'), mimetype: 'image/png' },
      })
      const event = await eventually(
        'the image event',
        async () => (await events('Message')).find((e) => e.data.id === id),
        10_000,
      )
      return { id, event }
    }

    it('downloads and decrypts a received file from its media fields, contacting only WhatsApp’s media host', async () => {
      const { event } = await imageFromAlice()
      const media = event.data.media as {
        url: string
        directPath: string
        mediaKey: string
        fileSha256: string
      }
      const body = {
        Url: media.url,
        DirectPath: media.directPath,
        MediaKey: media.mediaKey,
        Mimetype: 'image/png',
        FileSHA256: media.fileSha256,
        FileLength: PNG.length,
      }
      const res = await post('/chat/downloadimage', body)
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(res.json().data.Data, `data:image/png;base64,${PNG.toString('base64')}`)
      // Only the path of a foreign Url is used, on the media host: the metadata address is never asked.
      const foreign = await post('/chat/downloadimage', {
        ...body,
        DirectPath: undefined,
        Url: `http://169.254.169.254${media.directPath}`,
      })
      assert.equal(foreign.statusCode, 200, foreign.body)
      const wrongKey = await post('/chat/downloadimage', {
        ...body,
        MediaKey: Buffer.alloc(32, 1).toString('base64'),
      })
      assert.equal(wrongKey.statusCode, 400, wrongKey.body)
      assert.equal((await post('/chat/downloadimage', { Mimetype: 'image/png' })).statusCode, 400)
    })

    it('a file gone from the media server is uploaded again by its sender’s phone (MediaRetry) and downloaded', async () => {
      const { id, event } = await imageFromAlice()
      const media = event.data.media as { directPath: string; mediaKey: string; fileSha256: string }
      const expired = await fetch(`${network.net.running.info.controlUrl}/media/expire`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ path: media.directPath }),
      })
      assert.equal(expired.status, 204)
      const body = {
        DirectPath: media.directPath,
        MediaKey: media.mediaKey,
        Mimetype: 'image/png',
        FileSHA256: media.fileSha256,
      }
      // Without the message's Id nothing can be asked for: the file is simply unavailable.
      assert.equal((await post('/chat/downloadimage', body)).statusCode, 400)
      const res = await post('/chat/downloadimage', { ...body, Id: id })
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(res.json().data.Data, `data:image/png;base64,${PNG.toString('base64')}`)
      const retry = (await events('MediaRetry')).find((e) => e.data.MessageID === id)
      assert.ok(retry, 'a MediaRetry event')
      assert.match(String(retry.data.ChatID), /@(s\.whatsapp\.net|lid)$/)
      assert.ok(retry.data.Ciphertext)
      // A file nobody has any more: a clear 4xx.
      const unknown = await post('/chat/downloadimage', { ...body, Id: 'NOSUCHMESSAGE', Chat: alice })
      assert.equal(unknown.statusCode, 400, unknown.body)
    })

    it('uploads a file to WhatsApp’s media servers (/media/upload) and downloads the same bytes back', async () => {
      const boundary = 'zapwire-test-boundary'
      const payload = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="px.png"\r\nContent-Type: image/png\r\n\r\n`,
        ),
        PNG,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ])
      const res = await t.app.inject({
        method: 'POST',
        url: '/media/upload',
        headers: { token, 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload,
      })
      assert.equal(res.statusCode, 200, res.body)
      const up = res.json().data
      assert.equal(up.mimetype, 'image/png')
      assert.equal(up.media_type, 'image')
      assert.equal(up.file_length, PNG.length)
      assert.equal(up.file_sha256, createHash('sha256').update(PNG).digest('base64'))
      const back = await post('/chat/downloadimage', {
        DirectPath: up.direct_path,
        MediaKey: up.media_key,
        Mimetype: up.mimetype,
        FileSHA256: up.file_sha256,
      })
      assert.equal(back.statusCode, 200, back.body)
      assert.equal(back.json().data.Data, `data:image/png;base64,${PNG.toString('base64')}`)
      const notMultipart = await post('/media/upload', { file: 'x' })
      assert.equal(notMultipart.statusCode, 415, notMultipart.body)
    })

    it('knows phone ↔ LID both ways (/user/lid/*)', async () => {
      const account = network.net.network.accounts.get(alice)!
      const lid = await get(`/user/lid/get?phone=${alice}`)
      assert.equal(lid.statusCode, 200, lid.body)
      assert.equal(lid.json().lid, `${account.lid}@lid`)
      assert.equal(lid.json().phone, `${alice}@s.whatsapp.net`)
      const back = await post('/user/lid/from-lid', { lid: `${account.lid}@lid` })
      assert.equal(back.statusCode, 200, back.body)
      assert.equal(back.json().phone, `${alice}@s.whatsapp.net`)
      const all = (await get('/user/lid/mappings?limit=10')).json()
      assert.ok(all.total >= 2)
      assert.ok(all.mappings.some((m: { phone: string }) => m.phone === `${alice}@s.whatsapp.net`))
      assert.equal((await get('/user/lid/from-lid?lid=999999@lid')).statusCode, 404)
      assert.equal((await get('/user/lid/from-lid?lid=nope')).statusCode, 400)
      assert.equal((await get('/user/lid/get?phone=12')).statusCode, 400)
    })

    it('tells everything known of a person (/user/contact/info) by phone, JID or LID', async () => {
      const account = network.net.network.accounts.get(alice)!
      // Alice's push name comes with her messages.
      const hello = await network.net.running.contacts
        .get(alice)!
        .send({ to: `${me}@s.whatsapp.net`, text: 'who am I' })
      await eventually(
        'Alice’s message',
        async () => (await events('Message')).find((e) => e.data.Info.ID === hello),
        10_000,
      )
      const res = await post('/user/contact/info', { phone: alice })
      assert.equal(res.statusCode, 200, res.body)
      const info = res.json().data
      assert.equal(info.jid, `${alice}@s.whatsapp.net`)
      assert.equal(info.input_type, 'phone')
      assert.equal(info.is_on_whatsapp, true)
      assert.equal(info.lid, `${account.lid}@lid`)
      assert.equal(info.user_info.status, account.about.text)
      assert.ok(info.devices.length >= 1 && info.user_info.device_count === info.devices.length)
      assert.equal(info.contact_names.push_name, 'Alice')
      assert.equal(info.business_profile, null)
      const byLid = (await post('/user/contact/info', { phone: `${account.lid}@lid` })).json().data
      assert.equal(byLid.input_type, 'lid')
      assert.equal(byLid.jid, `${alice}@s.whatsapp.net`)
      const stranger = (await post('/user/contact/info', { phone: `${base}9999` })).json().data
      assert.equal(stranger.is_on_whatsapp, false)
      assert.equal(stranger.avatar, null)
      assert.equal((await post('/user/contact/info', { phone: '77777@lid' })).statusCode, 404)
      assert.equal((await post('/user/contact/info', { phone: '12' })).statusCode, 400)
    })

    it('sends to and receives from a group: every member decrypts it, the sender is named by phone and LID', async () => {
      const carol = `${base}0005`
      await network.net.contact(carol, 'Carol')
      const owner = network.net.running.contacts.get(alice)!
      const group = await owner.client.socket!.groupCreate('Shop team', [
        `${me}@s.whatsapp.net`,
        `${carol}@s.whatsapp.net`,
      ])
      const res = await post('/chat/send/text', { Phone: group.id, Body: 'hello team' })
      assert.equal(res.statusCode, 200, res.body)
      const id = res.json().data.Id
      for (const member of [alice, carol]) {
        // A first copy the member could not decrypt is retried, as WhatsApp does: wait for the readable one.
        const got = await network.net.inbox(member, (m) => m.id === id && m.text !== undefined)
        assert.equal(got.text, 'hello team')
        assert.equal(got.chat, group.id)
      }
      const poll = await post('/chat/send/poll', {
        Group: group.id,
        Header: 'Meeting?',
        Options: ['mon', 'tue'],
      })
      assert.equal(poll.statusCode, 200, poll.body)
      await network.net.inbox(carol, (m) => m.id === poll.json().data.Id)
      const fromAlice = await owner.send({ to: group.id, text: 'hi from alice' })
      const event = await eventually(
        'the group message',
        async () => (await events('Message')).find((e) => e.data.id === fromAlice),
        10_000,
      )
      assert.equal(event.data.chat, group.id)
      assert.equal(event.data.Info.IsGroup, true)
      assert.equal(event.data.senderPn, `${alice}@s.whatsapp.net`)
      assert.match(String(event.data.senderLid), /^\d+@lid$/)
      const history = (await get(`/chat/history?chat_jid=${group.id}`)).json().data
      assert.ok(history.some((i: { message_id: string }) => i.message_id === fromAlice))
      // Media, a reply with a mention, a location and a reaction in the group.
      const image = await post('/chat/send/image', {
        Phone: group.id,
        Image: `data:image/png;base64,${PNG.toString('base64')}`,
        Caption: 'team photo',
      })
      assert.equal(image.statusCode, 200, image.body)
      const pic = await network.net.inbox(
        carol,
        (m) => m.id === image.json().data.Id && m.media !== undefined,
      )
      assert.equal(pic.media!.sha256, sha(PNG))
      assert.equal(pic.text, 'team photo')
      const reply = await post('/chat/send/text', {
        Phone: group.id,
        Body: `noted @${alice}`,
        ContextInfo: {
          StanzaId: fromAlice,
          Participant: `${alice}@s.whatsapp.net`,
          MentionedJID: [`${alice}@s.whatsapp.net`],
        },
      })
      assert.equal(reply.statusCode, 200, reply.body)
      const quoted = await network.net.inbox(
        alice,
        (m) => m.id === reply.json().data.Id && m.text !== undefined,
      )
      const ctx = (
        quoted.message as {
          extendedTextMessage: { contextInfo: { stanzaId: string; mentionedJid: string[] } }
        }
      ).extendedTextMessage.contextInfo
      assert.equal(ctx.stanzaId, fromAlice)
      assert.equal(ctx.mentionedJid.length, 1)
      const where = await post('/chat/send/location', { Phone: group.id, Latitude: -23.5, Longitude: -46.6 })
      assert.equal(where.statusCode, 200, where.body)
      const pin = await network.net.inbox(carol, (m) => m.id === where.json().data.Id && m.type !== undefined)
      assert.equal(
        (pin.message as { locationMessage: { degreesLatitude: number } }).locationMessage.degreesLatitude,
        -23.5,
      )
      const react = await post('/chat/react', { Phone: group.id, Id: fromAlice, Body: '👍' })
      assert.equal(react.statusCode, 200, react.body)
      const reaction = await network.net.inbox(
        carol,
        (m) =>
          m.type === 'reactionMessage' &&
          (m.message as { reactionMessage: { key: { id: string } } }).reactionMessage.key.id === fromAlice,
      )
      assert.equal((reaction.message as { reactionMessage: { text: string } }).reactionMessage.text, '👍')
    })

    it('sends list, buttons (with PIX and an image header), carousel, flow and template messages', async () => {
      const find = async (id: string) =>
        JSON.stringify((await network.net.inbox(alice, (m) => m.id === id)).message)
      const list = await post('/chat/send/list', {
        Phone: alice,
        Text: 'Our menu',
        ButtonText: 'Open',
        Sections: [{ Title: 'Drinks', Rows: [{ RowId: 'tea', Title: 'Tea', Description: 'green' }] }],
      })
      assert.equal(list.statusCode, 200, list.body)
      const l = await find(list.json().data.Id)
      assert.match(l, /"listMessage"/)
      assert.match(l, /"rowId":"tea"/)

      const buttons = await post('/chat/send/buttons', {
        phone: alice,
        body: 'Pay for order 42',
        footer: 'thanks',
        image: { url: `data:image/png;base64,${PNG.toString('base64')}` },
        buttons: [
          { buttonId: 'yes', buttonText: { displayText: 'Yes' }, type: 'quick_reply' },
          { buttonText: { displayText: 'Site' }, type: 'cta_url', url: 'https://example.com' },
          { type: 'pix', pix_key: 'shop@example.com', merchant_name: 'Shop', pix_type: 'EMAIL' },
        ],
      })
      assert.equal(buttons.statusCode, 200, buttons.body)
      const b = await find(buttons.json().data.Id)
      assert.match(b, /"interactiveMessage"/)
      assert.match(b, /"name":"quick_reply"/)
      assert.match(b, /"name":"cta_url"/)
      assert.match(b, /"name":"payment_info"/)
      assert.match(b, /shop@example\.com/)
      assert.match(b, /"imageMessage"/)

      const carousel = await post('/chat/send/carousel', {
        Phone: alice,
        Message: 'Pick one',
        Carousel: [
          { Text: 'Card A', Buttons: [{ Label: 'Choose A', Type: 'reply', Id: 'a' }] },
          { Text: 'Card B', Buttons: [{ Label: 'Visit', Type: 'url', Url: 'https://example.com/b' }] },
        ],
      })
      assert.equal(carousel.statusCode, 200, carousel.body)
      const c = await find(carousel.json().data.Id)
      assert.match(c, /"carouselMessage"/)
      assert.match(c, /Card B/)

      const flow = await post('/chat/send/flow', {
        Phone: alice,
        Body: 'Book a table',
        Buttons: [{ Name: 'galaxy_message', ButtonParamsJSON: '{"flow_id":"123","flow_cta":"Book"}' }],
      })
      assert.equal(flow.statusCode, 200, flow.body)
      assert.match(await find(flow.json().data.Id), /galaxy_message/)

      const template = await post('/chat/send/template', {
        Phone: alice,
        Content: 'Hello',
        Buttons: [
          { DisplayText: 'Hi', Type: 'quickreply' },
          { DisplayText: 'Call us', Type: 'call', PhoneNumber: '+5511999999999' },
        ],
      })
      assert.equal(template.statusCode, 200, template.body)
      assert.match(await find(template.json().data.Id), /"hydratedTemplate"/)

      const bad = await post('/chat/send/buttons', {
        phone: alice,
        body: 'x',
        buttons: [{ type: 'cta_url', buttonText: { displayText: 'Go' } }],
      })
      assert.equal(bad.statusCode, 400, bad.body)
      assert.match(bad.json().error, /url is required/)
      assert.equal(
        (await post('/chat/send/list', { Phone: alice, Text: 'x', ButtonText: 'y', Sections: [] }))
          .statusCode,
        400,
      )
    })

    it('archives, pins, mutes, stars and deletes chats through app-state patches once the phone shared its key', async () => {
      const before = await post('/chat/pin', { phone: alice, pin: true })
      assert.equal(before.statusCode, 409, before.body)
      assert.match(before.json().error, /app-state key/)
      const res = await fetch(`${network.net.running.info.controlUrl}/accounts/${me}/app-state-key`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
      assert.equal(res.status, 200, await res.clone().text())
      const pin = await eventually(
        'the key share to arrive',
        async () => {
          const r = await post('/chat/pin', { phone: alice, pin: true })
          return r.statusCode === 200 ? r : undefined
        },
        10_000,
      )
      assert.deepEqual(pin.json().data, {
        success: true,
        message: 'Chat pinned successfully',
        jid: `${alice}@s.whatsapp.net`,
        pinned: true,
      })
      const archive = await post('/chat/archive', { phone: alice, archive: true })
      assert.equal(archive.statusCode, 200, archive.body)
      const mute = await post('/chat/mute', { phone: alice, mute: true, mute_duration: '8h' })
      assert.equal(mute.statusCode, 200, mute.body)
      assert.equal(mute.json().data.duration, '8h')
      const last = (await post('/chat/send/text', { Phone: alice, Body: 'keep this one' })).json().data.Id
      const star = await post('/chat/star', { chat_jid: alice, message_id: last, star: true })
      assert.equal(star.statusCode, 200, star.body)
      const patches = (
        (await (await fetch(`${network.net.running.info.controlUrl}/accounts/${me}/app-state`)).json()) as {
          patches: Record<string, number>
        }
      ).patches
      const total = Object.values(patches).reduce((a, b) => a + b, 0)
      assert.ok(total >= 4, JSON.stringify(patches))
      const chat = (await get('/chat/list'))
        .json()
        .chats.find((c: { chat_jid: string }) => c.chat_jid === `${alice}@s.whatsapp.net`)
      assert.equal(chat.pinned, true)
      assert.equal(chat.archived, true)
      assert.ok(chat.muted_until > Date.now() / 1000)
      const del = await post('/chat/delete-chat', { phone: alice })
      assert.equal(del.statusCode, 200, del.body)
      assert.equal(
        (await post('/chat/mute', { phone: alice, mute: true, mute_duration: '2d' })).statusCode,
        400,
      )
    })

    it('a history sync from the phone is stored (chats, messages, names, LIDs) and reported as one HistorySync event', async () => {
      const dave = `${base}0006`
      await network.net.contact(dave, 'Dave')
      const res = await fetch(`${network.net.running.info.controlUrl}/accounts/${me}/history`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          chats: [
            {
              chat: dave,
              messages: [
                { id: `HIST${dialect.toUpperCase()}1`, text: 'old question' },
                { id: `HIST${dialect.toUpperCase()}2`, text: 'old answer', fromMe: true },
              ],
            },
          ],
        }),
      })
      assert.equal(res.status, 204, await res.text())
      const event = await eventually(
        'the HistorySync event',
        async () => (await events('HistorySync'))[0],
        10_000,
      )
      const data = event.data as unknown as {
        Data: {
          syncType: string
          conversations: { ID: string; lid: string; messages: { message: { id: string; text: string } }[] }[]
        }
        messages: number
      }
      assert.equal(data.Data.syncType, 'INITIAL_BOOTSTRAP')
      const daveAccount = network.net.network.accounts.get(dave)!
      const chat = data.Data.conversations.find((c) => c.ID === `${dave}@s.whatsapp.net`)
      assert.ok(chat, JSON.stringify(data.Data.conversations))
      assert.equal(chat.lid, `${daveAccount.lid}@lid`)
      assert.deepEqual(
        chat.messages.map((m) => m.message.text),
        ['old question', 'old answer'],
      )
      // Stored: the chat's history, the LID mapping, the contact's name; no unread count, no Message events.
      const history = (await get(`/chat/history?chat_jid=${dave}&limit=10`)).json().data as {
        message_id: string
        from_me: boolean
        text_content: string
      }[]
      assert.deepEqual(
        history.map((m) => [m.from_me, m.text_content]),
        [
          [true, 'old answer'],
          [false, 'old question'],
        ],
      )
      assert.equal((await get(`/user/lid/get?phone=${dave}`)).json().lid, `${daveAccount.lid}@lid`)
      assert.equal((await get('/user/contacts')).json().data[`${dave}@s.whatsapp.net`].FullName, 'Dave')
      const listed = (await get('/chat/list'))
        .json()
        .chats.find((c: { chat_jid: string }) => c.chat_jid === `${dave}@s.whatsapp.net`)
      assert.equal(listed.unread_count, 0)
      assert.ok(!(await events('Message')).some((e) => String(e.data.Info.ID).startsWith('HIST')))
    })

    it('asks the phone for a message this device lost (/chat/request-unavailable-message); it arrives as a Message event', async () => {
      network.net.fault(`${me}:1@s.whatsapp.net`, { kind: 'lose', count: 1 })
      const id = await network.net.running.contacts
        .get(alice)!
        .send({ to: `${me}@s.whatsapp.net`, text: 'you missed this' })
      await new Promise((r) => setTimeout(r, 500))
      const arrived = async () => (await events('Message')).find((e) => e.data.Info.ID === id)
      assert.equal(await arrived(), undefined, 'the lost message did not arrive by itself')
      const res = await post('/chat/request-unavailable-message', { Chat: alice, Id: id })
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(res.json().data.Id, id)
      assert.match(res.json().data.RequestId, /^[0-9A-F]+$/)
      const event = await eventually('the phone’s copy', arrived, 15_000)
      assert.equal(event.data.text, 'you missed this')
      assert.equal(event.data.senderPn, `${alice}@s.whatsapp.net`)
      assert.ok(network.net.network.accounts.get(me)!.peerRequests >= 1)
      const stored = (await get(`/chat/history?chat_jid=${alice}&limit=5`)).json().data as {
        message_id: string
      }[]
      assert.ok(stored.some((m) => m.message_id === id))
      assert.equal((await post('/chat/request-unavailable-message', { Chat: alice })).statusCode, 400)
    })

    it('sets the about text (/status/set/text)', async () => {
      const res = await post('/status/set/text', { Body: 'Open 9 to 5' })
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(res.json().data.Details, 'Status set successfully')
      assert.equal(network.net.network.accounts.get(me)!.about.text, 'Open 9 to 5')
      assert.equal((await post('/status/set/text', { Body: 'x'.repeat(140) })).statusCode, 400)
    })

    it('a WhatsApp refusal comes back as a typed 4xx with WhatsApp’s code, and nothing is stored as sent', async () => {
      network.net.fault(`${me}:1@s.whatsapp.net`, { kind: 'refuse-send', code: 463 })
      const res = await post('/chat/send/text', {
        Phone: alice,
        Body: 'refused',
        Id: `REFUSED463XX${dialect}`,
      })
      assert.equal(res.statusCode, 422, res.body)
      assert.equal(res.json().whatsapp_code, 463)
      assert.equal(res.json().success, false)
      const again = await post('/chat/send/text', {
        Phone: alice,
        Body: 'refused',
        Id: `REFUSED463XX${dialect}`,
      })
      assert.equal(again.statusCode, 200, again.body)
    })

    it('refuses bad input with clear 4xx and sends nothing', async () => {
      const bob = `${base}0004`
      await network.net.contact(bob, 'Bob')
      const cases: [string, object, number, RegExp][] = [
        ['/chat/send/text', { Phone: 'abc', Body: 'x' }, 400, /invalid phone/],
        ['/chat/send/text', { Phone: bob, Body: '' }, 400, /Body/],
        ['/chat/send/text', { Phone: bob }, 400, /Body is required/],
        ['/chat/send/image', { Phone: bob, Image: 'not base64!!' }, 400, /base64/],
        [
          '/chat/send/image',
          { Phone: bob, Image: `data:image/png;base64,${OGG.toString('base64')}` },
          400,
          /image must be/,
        ],
        ['/chat/send/image', { Phone: bob, Image: 'file:///etc/passwd' }, 400, /only data URLs/],
        ['/chat/send/image', { Phone: bob, Image: '/etc/passwd' }, 400, /only data URLs/],
        ['/chat/send/image', { Phone: bob, Image: 'http://127.0.0.1:1/x.png' }, 400, /private or loopback/],
        ['/chat/send/image', { Phone: bob, Image: 'http://169.254.169.254/latest' }, 400, /link-local/],
        [
          '/chat/send/image',
          { Phone: bob, Image: Buffer.alloc(6 * 2 ** 20).toString('base64') },
          413,
          /larger than 5 MB/,
        ],
        ['/chat/send/location', { Phone: bob, Latitude: 91, Longitude: 0 }, 400, /Latitude/],
        ['/chat/send/poll', { Phone: bob, Header: 'q', Options: ['one'] }, 400, /Options/],
        ['/chat/react', { Phone: bob, Body: '👍' }, 400, /Id is required/],
      ]
      for (const [url, body, status, error] of cases) {
        const res = await post(url, body)
        assert.equal(res.statusCode, status, `${url} ${JSON.stringify(body).slice(0, 80)}: ${res.body}`)
        assert.match(res.json().error, error)
      }
      assert.equal((await get('/chat/history')).statusCode, 400)
      const quiet = await createUser(t, { name: 'quiet' })
      const notConnected = await t.app.inject({
        method: 'POST',
        url: '/chat/send/text',
        headers: { token: quiet.token },
        payload: { Phone: alice, Body: 'x' },
      })
      assert.equal(notConnected.statusCode, 409)
      const noHistory = await t.app.inject({
        method: 'GET',
        url: `/chat/history?chat_jid=${alice}`,
        headers: { token: quiet.token },
      })
      assert.equal(noHistory.statusCode, 501)
      await new Promise((r) => setTimeout(r, 300))
      assert.equal(network.net.running.contacts.get(bob)!.inbox.length, 0)
    })
  })

  describe(`${dialect}: send caps for new numbers`, () => {
    const network = useNetwork()
    const t = useApp(dialect, () => ({
      ZAPWIRE_TESTNET: network.net.running.info.controlUrl,
      ZAPWIRE_WARMUP_CAPS: '2,10',
      ZAPWIRE_DAILY_SEND_CAP: '100',
    }))

    it('a number on its first day sends its warm-up cap, then gets 429 until tomorrow', async () => {
      const base = dialect === 'sqlite' ? '55229910' : '55229920'
      const friend = `${base}0002`
      await network.net.contact(friend, 'Friend')
      const user = await createUser(t, { name: 'new number' })
      const phone = `${base}0001`
      network.net.network.accounts.create(phone, 'New')
      const req = (method: 'GET' | 'POST', url: string, payload?: object) =>
        t.app.inject({ method, url, headers: { token: user.token }, ...(payload ? { payload } : {}) })
      await req('POST', '/session/connect', { Immediate: false })
      network.net.network.link(phone, (await req('GET', '/session/status')).json().data.qrcode_text)
      await eventually(
        'logged in',
        async () => (await req('GET', '/session/status')).json().data.LoggedIn || undefined,
        30_000,
      )
      for (const n of [1, 2]) {
        const res = await req('POST', '/chat/send/text', { Phone: friend, Body: `message ${n}` })
        assert.equal(res.statusCode, 200, res.body)
      }
      const third = await req('POST', '/chat/send/text', { Phone: friend, Body: 'message 3' })
      assert.equal(third.statusCode, 429, third.body)
      assert.match(third.json().error, /may send 2 messages today \(warm-up day 1\)/)
      await new Promise((r) => setTimeout(r, 300))
      assert.equal(
        network.net.running.contacts.get(friend)!.inbox.filter((m) => m.text === 'message 3').length,
        0,
      )
    })
  })
}
