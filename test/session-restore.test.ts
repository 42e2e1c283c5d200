import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { eventually } from '../src/testnet/harness.js'
import { startServer } from './helpers/process.js'
import { useNetwork } from './helpers/testnet.js'

const ADMIN = 'restore-admin-token-123'

describe('sessions survive a gateway restart', () => {
  const network = useNetwork()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zapwire-restore-'))
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }))
  const env = () => ({
    ZAPWIRE_DATA_DIR: dataDir,
    ZAPWIRE_ADMIN_TOKEN: ADMIN,
    ZAPWIRE_TESTNET: network.net.running.info.controlUrl,
    ZAPWIRE_LOG_LEVEL: 'info',
    ZAPWIRE_SESSION_LEASE_MS: '3000',
  })

  it('a logged-in session reconnects after kill -9 and a new start, without a QR; 20 sessions at once', async () => {
    let server = await startServer(env())
    const call = async (method: string, url: string, headers: Record<string, string>, body?: unknown) => {
      const res = await fetch(`${server.url}${url}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      const json = (await res.json()) as { code: number; data: Record<string, unknown> }
      if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`)
      return json
    }
    const status = async (token: string) => (await call('GET', '/session/status', { token })).data
    const tokens: string[] = []
    for (let i = 0; i < 20; i++) {
      const phone = `551199300${String(i).padStart(3, '0')}`
      network.net.network.accounts.create(phone, phone)
      const created = await call('POST', '/admin/users', { authorization: ADMIN }, { name: phone })
      const token = created.data.token as string
      tokens.push(token)
      await call('POST', '/session/connect', { token }, { Immediate: false })
      network.net.network.link(phone, (await status(token)).qrcode_text as string)
    }
    for (const token of tokens) {
      await eventually(
        'logged in',
        async () => (await status(token)).state === 'connected' || undefined,
        20_000,
      )
    }

    await server.stop('SIGKILL')
    server = await startServer(env())
    try {
      for (const token of tokens) {
        const s = await eventually(
          'restored',
          async () => {
            const current = await status(token)
            return current.state === 'connected' ? current : undefined
          },
          30_000,
        )
        assert.equal(s.qrcode_text, '')
      }
    } finally {
      await server.stop('SIGTERM')
    }
  })
})
