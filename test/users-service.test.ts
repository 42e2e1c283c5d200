import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { openContext } from '../src/services/context.js'
import { useContext } from './helpers/context.js'
import { DIALECTS } from './helpers/databases.js'

for (const dialect of DIALECTS) {
  describe(`${dialect}: users service and store`, () => {
    const t = useContext(dialect, { blockPrivateUrls: true })
    const services = () => t.context.services

    it('stores tokens and secrets encrypted, never in clear', async () => {
      const user = await services().users.create({
        name: 'Vault',
        token: 'plain-token-value',
        hmacKey: 'hmac-secret-'.repeat(4),
        s3Config: { secret_key: 'S3-SECRET-VALUE' },
        proxyConfig: { enabled: true, url: 'http://u:proxy-pass@127.0.0.1:3128' },
      })
      const row = await t.context.database.db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow()
      const raw = JSON.stringify(row)
      for (const secret of ['plain-token-value', 'hmac-secret-', 'S3-SECRET-VALUE', 'proxy-pass']) {
        assert.equal(raw.includes(secret), false, `${secret} is stored in clear`)
      }
      assert.equal((await services().users.authenticate('plain-token-value')).id, user.id)
    })

    it('detects a concurrent change with optimistic locking', async () => {
      const user = await services().users.create({ name: 'Racer', token: 'racer-token-1' })
      await services().users.updateOwn(user, { name: 'First' })
      // `user` is now stale: its version is behind the stored one.
      await assert.rejects(services().users.updateOwn(user, { name: 'Second' }), {
        code: 'CONCURRENT_UPDATE',
        message: 'Profile was modified by another request. Please try again',
      })
    })

    it('refuses private webhook addresses set with a user token when ZAPWIRE_BLOCK_PRIVATE_URLS is on', async () => {
      const user = await services().users.create({ name: 'Tenant', webhook: 'http://10.1.2.3/hook' })
      assert.equal(user.settings.webhook, 'http://10.1.2.3/hook')
      await assert.rejects(services().users.update(user.id, { webhook: 'http://192.168.1.9/' }, 'user'), {
        code: 'VALIDATION',
        message: 'webhook points at a private or loopback address',
      })
    })

    it('reports seconds remaining until expiry', async () => {
      const soon = Math.floor(Date.now() / 1000) + 100
      const user = await services().users.create({ name: 'Clock', expiration: soon })
      const left = services().users.secondsRemaining(user)
      assert.ok(left > 95 && left <= 100, String(left))
      assert.equal(services().users.secondsRemaining({ ...user, expiration: 0 }), 0)
    })

    it('refuses to open the database with a different encryption key', async () => {
      await assert.rejects(
        openContext({
          databaseUrl: t.db.url,
          adminToken: 'a'.repeat(16),
          encryptionKey: randomBytes(32),
          blockPrivateUrls: false,
        }),
        { name: 'WrongEncryptionKeyError' },
      )
    })
  })
}
