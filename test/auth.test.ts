import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ADMIN_TOKEN, createUser, useApp } from './helpers/app.js'
import { DIALECTS } from './helpers/databases.js'

for (const dialect of DIALECTS) {
  describe(`${dialect}: authentication`, () => {
    const t = useApp(dialect)
    const update = (headers: Record<string, string | undefined>, payload: object = { name: 'Renamed' }) =>
      t.app.inject({
        method: 'POST',
        url: '/user/update',
        headers: headers as Record<string, string>,
        payload,
      })

    it('accepts the admin token bare or as a Bearer token, and nothing else', async () => {
      for (const authorization of [ADMIN_TOKEN, `Bearer ${ADMIN_TOKEN}`, `bearer ${ADMIN_TOKEN}`]) {
        const res = await t.app.inject({ method: 'GET', url: '/admin/users', headers: { authorization } })
        assert.equal(res.statusCode, 200, authorization)
      }
      for (const headers of [
        {},
        { authorization: 'wrong' },
        { authorization: `${ADMIN_TOKEN}x` },
        { token: ADMIN_TOKEN },
      ]) {
        const res = await t.app.inject({ method: 'GET', url: '/admin/users', headers })
        assert.equal(res.statusCode, 401)
        assert.deepEqual(res.json(), {
          code: 401,
          error: 'unauthorized - admin token required',
          success: false,
        })
      }
    })

    it('accepts a user token in Token (any case) or Authorization: Bearer', async () => {
      const user = await createUser(t, { name: 'Tok', token: 'user-token-1' })
      for (const headers of [
        { token: 'user-token-1' },
        { TOKEN: 'user-token-1' },
        { Token: 'user-token-1' },
        { authorization: 'Bearer user-token-1' },
      ]) {
        const res = await update(headers, { name: `n-${Object.keys(headers)[0]}` })
        assert.equal(res.statusCode, 200, res.body)
        assert.equal(res.json().data.id, user.id)
      }
    })

    it('refuses a missing, unknown or admin token on user routes with 401', async () => {
      for (const headers of [
        {},
        { token: 'nope' },
        { authorization: 'user-token-1' },
        { token: ADMIN_TOKEN },
      ]) {
        const res = await update(headers)
        assert.equal(res.statusCode, 401)
        assert.deepEqual(res.json(), { code: 401, error: 'unauthorized', success: false })
      }
    })

    it('refuses an expired user with 403 and accepts one not yet expired', async () => {
      const past = Math.floor(Date.now() / 1000) - 10
      await createUser(t, { name: 'Old', token: 'expired-token', expiration: past })
      const res = await update({ token: 'expired-token' })
      assert.equal(res.statusCode, 403)
      assert.deepEqual(res.json(), { code: 403, error: 'user expired', success: false })
      await createUser(t, { name: 'Fresh', token: 'fresh-token', expiration: past + 3600 })
      assert.equal((await update({ token: 'fresh-token' })).statusCode, 200)
    })

    it('/user/update rotates the token: the old one stops working at once', async () => {
      await createUser(t, { name: 'Rotate', token: 'rotate-old-1' })
      const res = await update({ token: 'rotate-old-1' }, { token: 'rotate-new-1' })
      assert.equal(res.statusCode, 200)
      assert.deepEqual(Object.keys(res.json()).sort(), ['code', 'data', 'message', 'success'])
      assert.equal(res.json().message, 'Profile updated successfully')
      assert.equal(res.json().data.token, 'rotate-new-1')
      assert.equal((await update({ token: 'rotate-old-1' })).statusCode, 401)
      assert.equal((await update({ token: 'rotate-new-1' })).statusCode, 200)
    })

    it('/user/update refuses bad input with the documented messages', async () => {
      await createUser(t, { name: 'Same', token: 'same-token-1' })
      await createUser(t, { name: 'Taken', token: 'taken-token-1' })
      const cases: [object, number, string][] = [
        [{}, 400, 'No changes detected'],
        [{ name: 'Same' }, 400, 'No changes detected'],
        [{ token: 'short' }, 400, 'Token too short (min 8 characters)'],
        [{ name: 'x'.repeat(256) }, 400, 'Name must be between 1 and 255 characters'],
        [{ token: 'taken-token-1' }, 409, 'Token already in use'],
      ]
      for (const [payload, status, error] of cases) {
        const res = await update({ token: 'same-token-1' }, payload)
        assert.equal(res.statusCode, status, JSON.stringify(payload))
        assert.deepEqual(res.json(), { code: status, error, success: false })
      }
    })
  })
}
