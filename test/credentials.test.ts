import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { Cipher } from '../src/crypto/cipher.js'
import { storedAuthState } from '../src/engine/baileys/auth-state.js'
import { SqlCredentialStore } from '../src/services/credentials.store.js'
import { AuthRepository } from '../src/store/auth.repository.js'
import { textOf } from '../src/testnet/client.js'
import { useContext } from './helpers/context.js'
import { DIALECTS } from './helpers/databases.js'
import { useNetwork } from './helpers/testnet.js'

for (const dialect of DIALECTS) {
  describe(`${dialect}: credentials and Signal keys in the database`, () => {
    const t = useContext(dialect)
    const network = useNetwork()
    let repo: AuthRepository
    let cipher: Cipher
    before(() => {
      repo = new AuthRepository(t.context.database.db)
      cipher = new Cipher(t.key)
    })
    const newUser = async (name: string) => (await t.context.services.users.create({ name })).id

    it('round-trips creds and keys, deletes on null, replays idempotently, encrypts at rest', async () => {
      const userId = await newUser('keys')
      const store = new SqlCredentialStore(userId, repo, cipher)
      assert.equal(await store.readCreds(), undefined)
      await store.writeCreds('{"me":"secret-creds"}')
      assert.equal(await store.readCreds(), '{"me":"secret-creds"}')
      const batch = [
        { type: 'session', id: 'a.0', value: '{"s":"secret-session"}' },
        { type: 'pre-key', id: '1', value: '{"k":1}' },
        { type: 'pre-key', id: '2', value: '{"k":2}' },
      ]
      await store.writeKeys(batch)
      await store.writeKeys(batch)
      await store.writeKeys([{ type: 'pre-key', id: '1', value: null }])
      assert.deepEqual(await store.readKeys('pre-key', ['1', '2', '3']), { '2': '{"k":2}' })
      assert.deepEqual(await store.readKeys('session', ['a.0']), { 'a.0': '{"s":"secret-session"}' })
      const raw = JSON.stringify(await t.context.database.db.selectFrom('auth_keys').selectAll().execute())
      assert.equal(raw.includes('secret-session'), false)
      const rawCreds = JSON.stringify(
        await t.context.database.db.selectFrom('auth_creds').selectAll().execute(),
      )
      assert.equal(rawCreds.includes('secret-creds'), false)
      await store.purge()
      assert.equal(await store.readCreds(), undefined)
      assert.deepEqual(await store.readKeys('pre-key', ['2']), {})
    })

    it('removes credentials with the user', async () => {
      const userId = await newUser('cascade')
      const store = new SqlCredentialStore(userId, repo, cipher)
      await store.writeCreds('{}')
      await store.writeKeys([{ type: 'session', id: 'x', value: '{}' }])
      await t.context.services.users.delete(userId)
      assert.equal(await repo.readCreds(userId), undefined)
      assert.deepEqual(await repo.readKeys(userId, 'session', ['x']), [])
    })

    it('grants one lease per user at a time, renewable by its owner, taken over once expired', async () => {
      const userId = await newUser('lease')
      assert.equal(await repo.acquireLease(userId, 'A', 2_000, 1_000), true)
      assert.equal(await repo.acquireLease(userId, 'B', 2_500, 1_500), false)
      assert.equal(await repo.acquireLease(userId, 'A', 3_000, 1_900), true)
      assert.equal(await repo.acquireLease(userId, 'B', 5_000, 3_001), true)
      await repo.releaseLease(userId, 'A')
      assert.equal(await repo.acquireLease(userId, 'A', 6_000, 3_500), false)
      await repo.releaseLease(userId, 'B')
      assert.equal(await repo.acquireLease(userId, 'A', 6_000, 3_500), true)
    })

    it('a real Baileys client pairs, restarts with a fresh store from the database, and still decrypts', async () => {
      const userId = await newUser('baileys')
      const phone = dialect === 'sqlite' ? '5511990000001' : '5511990000002'
      const first = await storedAuthState(new SqlCredentialStore(userId, repo, cipher))
      const client = await network.net.link(phone, { auth: first.state, saveCreds: first.saveCreds })
      await new Promise((r) => setTimeout(r, 200))
      client.stop()

      const again = await storedAuthState(new SqlCredentialStore(userId, repo, cipher))
      assert.equal(again.state.creds.me?.id, `${phone}:1@s.whatsapp.net`)
      const restored = await network.net.login(again.state, { saveCreds: again.saveCreds })
      const friend = await network.net.contact(
        dialect === 'sqlite' ? '5511990000011' : '5511990000012',
        'Friend',
      )
      const got = restored.waitFor('messages.upsert', (u) =>
        u.messages.some((m) => textOf(m) === 'after restart'),
      )
      await friend.send({ to: `${phone}@s.whatsapp.net`, text: 'after restart' })
      await got
      await restored.socket!.sendMessage(`${friend.phone}@s.whatsapp.net`, { text: 'reply after restart' })
      await network.net.inbox(friend.phone, (m) => m.text === 'reply after restart')
    })
  })
}
