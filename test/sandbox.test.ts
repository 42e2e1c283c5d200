import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { eventually } from '../src/testnet/harness.js'

describe('zapwire serve --sandbox (the README walk-through)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zapwire-sandbox-'))
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }))

  it('pairs a user by QR, sends to Echo and reads its reply: no phone, no internet', async () => {
    const child = spawn(process.execPath, ['dist/cli.js', 'serve', '--sandbox'], {
      env: {
        ...process.env,
        ZAPWIRE_DATA_DIR: dataDir,
        ZAPWIRE_PORT: '0',
        ZAPWIRE_HOST: '127.0.0.1',
        ZAPWIRE_ADMIN_TOKEN: 'sandbox-admin-1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout!.on('data', (b: Buffer) => (output += b.toString()))
    try {
      const { control, api } = await eventually(
        'the sandbox and server addresses',
        () => {
          const control = /Sandbox: a local WhatsApp network at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1]
          const api = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1]
          return control && api ? { control, api } : undefined
        },
        30_000,
      )
      const json = async (url: string, init: RequestInit = {}) => {
        const res = await fetch(url, {
          ...init,
          headers: { 'content-type': 'application/json', ...init.headers },
        })
        // biome-ignore lint/suspicious/noExplicitAny: ad-hoc JSON of two APIs in a walk-through
        return (await res.json()) as Record<string, any>
      }
      const accounts = await json(`${control}/accounts`)
      assert.deepEqual(
        accounts.map((a: { name: string }) => a.name),
        ['Echo', 'Alice', 'Bob'],
      )
      const user = await json(`${api}/admin/users`, {
        method: 'POST',
        headers: { authorization: 'sandbox-admin-1' },
        body: JSON.stringify({ name: 'My shop' }),
      })
      const token = user.data.token as string
      await json(`${control}/accounts`, {
        method: 'POST',
        body: JSON.stringify({ phone: '5511999990000', virtual: false }),
      })
      await json(`${api}/session/connect`, {
        method: 'POST',
        headers: { token },
        body: JSON.stringify({ Immediate: false }),
      })
      const { qrcode_text } = (await json(`${api}/session/status`, { headers: { token } })).data
      const link = await json(`${control}/accounts/5511999990000/link`, {
        method: 'POST',
        body: JSON.stringify({ qr: qrcode_text }),
      })
      assert.equal(link.jid, '5511999990000:1@s.whatsapp.net')
      await eventually(
        'logged in',
        async () => (await json(`${api}/session/status`, { headers: { token } })).data.LoggedIn || undefined,
      )
      const sent = await json(`${api}/chat/send/text`, {
        method: 'POST',
        headers: { token },
        body: JSON.stringify({ Phone: '5500000000001', Body: 'Hello, Echo' }),
      })
      assert.equal(sent.data.Details, 'Sent')
      const reply = await eventually(
        'the echo in /events',
        async () =>
          (await json(`${api}/events?type=Message`, { headers: { token } })).data.events.find(
            (e: { data: { fromMe: boolean; text: string } }) =>
              !e.data.fromMe && e.data.text === 'Hello, Echo',
          ),
        15_000,
      )
      assert.equal(reply.data.sender, '5500000000001@s.whatsapp.net')
    } finally {
      child.kill('SIGTERM')
      await once(child, 'exit')
    }
  })
})
