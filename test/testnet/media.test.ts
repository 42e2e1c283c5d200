import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { mediaTrust } from '../../src/testnet/media.js'

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
)

import { useNetwork } from '../helpers/testnet.js'

describe('test network: media over local HTTPS', () => {
  const ctx = useNetwork()

  it('uploads and downloads an image and a document with equal bytes', async () => {
    await ctx.net.contact('5511940000001', 'Dora')
    const client = await ctx.net.link('5511940000002')
    const document = randomBytes(200_000)
    await client.socket!.sendMessage('5511940000001@s.whatsapp.net', { image: PNG, caption: 'a pixel' })
    await client.socket!.sendMessage('5511940000001@s.whatsapp.net', {
      document,
      mimetype: 'application/pdf',
      fileName: 'report.pdf',
    })
    const image = await ctx.net.inbox('5511940000001', (m) => m.type === 'imageMessage')
    assert.equal(image.text, 'a pixel')
    assert.equal(image.media?.sha256, sha(PNG))
    const doc = await ctx.net.inbox('5511940000001', (m) => m.type === 'documentMessage')
    assert.equal(doc.media?.sha256, sha(document))
    assert.equal(doc.media?.size, document.length)
    assert.equal(doc.media?.mimetype, 'application/pdf')
  })

  it('a virtual contact sends media the client downloads', async () => {
    const contact = ctx.net.running.contacts.get('5511940000001')!
    const client = await ctx.net.link('5511940000003')
    const audio = randomBytes(5_000)
    const got = client.waitFor('messages.upsert', (u) =>
      u.messages.some((m) => Boolean(m.message?.audioMessage)),
    )
    await contact.send({
      to: '5511940000003@s.whatsapp.net',
      audio: { base64: audio.toString('base64'), mimetype: 'audio/ogg' },
    })
    const message = (await got).messages.find((m) => m.message?.audioMessage)!
    assert.equal(sha(await client.download(message)), sha(audio))
  })

  it('serves a byte range and answers 404 for unknown media', async () => {
    const { mediaUrl } = ctx.net.running.info
    const { requestInit } = mediaTrust()
    const missing = await fetch(`${mediaUrl}/d/nothing`, requestInit)
    assert.equal(missing.status, 404)
    const body = Buffer.from('0123456789')
    const upload = await fetch(`${mediaUrl}/mms/document/abc?auth=x`, {
      ...requestInit,
      method: 'POST',
      body,
    })
    const { direct_path } = (await upload.json()) as { direct_path: string }
    const part = await fetch(`${mediaUrl}${direct_path}`, { ...requestInit, headers: { range: 'bytes=2-5' } })
    assert.equal(part.status, 206)
    assert.equal(await part.text(), '2345')
  })
})
