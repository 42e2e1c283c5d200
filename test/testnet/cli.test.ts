import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { describe, it } from 'node:test'

describe('zapwire testnet', () => {
  it('prints its addresses as one JSON line and is driven over HTTP', async () => {
    const child = spawn(process.execPath, ['dist/cli.js', 'testnet', '--port', '0'], {
      env: { ...process.env, ZAPWIRE_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    try {
      const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string]
      const info = JSON.parse(line) as Record<string, string>
      assert.match(info.wsUrl ?? '', /^ws:\/\/127\.0\.0\.1:\d+\/ws\/chat$/)
      assert.match(info.controlUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+$/)
      assert.match(info.mediaUrl ?? '', /^https:\/\/127\.0\.0\.1:\d+$/)
      assert.equal(Buffer.from(info.rootPublicKey ?? '', 'base64').length, 32)

      const post = (path: string, body: unknown) =>
        fetch(`${info.controlUrl}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      const created = await post('/accounts', { phone: '5511980000001', name: 'Heidi' })
      assert.equal(created.status, 201)
      const account = (await created.json()) as { jid: string; lid: string }
      assert.equal(account.jid, '5511980000001@s.whatsapp.net')
      assert.match(account.lid, /^\d+@lid$/)
      await post('/accounts', { phone: '5511980000002', name: 'Ivan' })
      const sent = await post('/accounts/5511980000001/messages', {
        to: '5511980000002@s.whatsapp.net',
        text: 'over http',
      })
      assert.equal(sent.status, 200)
      const { id } = (await sent.json()) as { id: string }
      let inbox: { id: string; text: string }[] = []
      for (let i = 0; i < 200 && !inbox.some((m) => m.id === id); i++) {
        await new Promise((r) => setTimeout(r, 25))
        inbox = (await (
          await fetch(`${info.controlUrl}/accounts/5511980000002/messages`)
        ).json()) as typeof inbox
      }
      assert.equal(inbox.find((m) => m.id === id)?.text, 'over http')

      const bad = await post('/accounts/5511980000001/link', { qr: 'not a qr' })
      assert.equal(bad.status, 400)
      assert.deepEqual(await bad.json(), { error: 'not a WhatsApp Web QR string' })
      assert.equal(
        (await post('/faults', { jid: '5511980000009:1@s.whatsapp.net', kind: 'drop' })).status,
        404,
      )
    } finally {
      child.kill('SIGTERM')
      await once(child, 'exit')
    }
  })
})
