import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createUser, useApp } from './helpers/app.js'
import { DIALECTS } from './helpers/databases.js'

for (const dialect of DIALECTS) {
  describe(`${dialect}: admin users API`, () => {
    const t = useApp(dialect, { ZAPWIRE_BODY_LIMIT: '65536' })

    it('creates a user with DIGIGO CreateUser fields and answers 201 in camelCase', async () => {
      const res = await t.admin({
        method: 'POST',
        url: '/admin/users',
        payload: {
          name: 'John',
          token: 'Z1234ABCCXD',
          webhook: 'https://example.com/hook',
          events: 'Message, ReadReceipt',
          skipMedia: true,
          callRejectType: 'declined',
          globalTransportSkips: { skipGlobalSQS: true },
          proxyConfig: { enabled: true, proxyURL: 'socks5://bob:secret@10.0.0.5:1080' },
          s3Config: { enabled: true, bucket: 'media', accessKey: 'AKIA1', secretKey: 'S3CRET' },
          rabbitmqConfig: {
            enabled: true,
            url: 'amqp://guest:guestpw@127.0.0.1:5672/',
            queue_arguments: { 'x-max-length': 10 },
          },
          whatsappConfig: { waPlatform: 'WEB', waOsName: 'Mac OS 10', waLocaleCountry: 'US' },
          expiration: 0,
          history: 500,
          hmacKey: 'k'.repeat(32),
        },
      })
      assert.equal(res.statusCode, 201, res.body)
      const body = res.json()
      assert.equal(body.code, 201)
      assert.equal(body.success, true)
      const d = body.data
      assert.match(d.id, /^[0-9a-f]{32}$/)
      assert.equal(typeof d.serial, 'number')
      assert.equal(d.token, 'Z1234ABCCXD')
      assert.equal(d.events, 'Message,ReadReceipt')
      assert.equal(d.skipMediaDownload, true)
      assert.equal(d.callRejectType, 'decline')
      assert.equal(d.globalTransportSkips.skipGlobalSQS, true)
      assert.equal(d.globalTransportSkips.skipGlobalWebhook, false)
      assert.equal(d.proxyConfig.proxyURL, 'socks5://bob:***@10.0.0.5:1080')
      assert.equal(d.s3Config.access_key, '***')
      assert.equal(d.s3Config.secret_key, '***')
      assert.equal(d.rabbitmqConfig.url, 'amqp://guest:***@127.0.0.1:5672/')
      assert.equal(d.whatsappConfig.waOSName, 'Mac OS 10')
      assert.equal(d.history, 500)
      assert.equal(d.hmacKey, '***')
    })

    it('lists and gets users in the snake_case read view, by hex id and by integer id', async () => {
      const created = await createUser(t, { name: 'Lister', webhook: 'http://n8n.local:5678/x' })
      const list = await t.admin({ method: 'GET', url: '/admin/users' })
      assert.equal(list.statusCode, 200)
      assert.ok(list.json().data.some((u: { id: string }) => u.id === created.id))

      for (const id of [created.id, String(created.serial)]) {
        const res = await t.admin({ method: 'GET', url: `/admin/users/${id}` })
        assert.equal(res.statusCode, 200, res.body)
        const [user] = res.json().data
        assert.equal(user.id, created.id)
        assert.equal(user.name, 'Lister')
        assert.equal(user.webhook, 'http://n8n.local:5678/x')
        assert.equal(user.events, 'All')
        assert.equal(user.connected, false)
        assert.equal(user.loggedIn, false)
        assert.equal(user.skip_media_download, false)
        assert.equal(user.call_reject_message, 'Sorry, I cannot take calls at the moment.')
        assert.deepEqual(user.proxy_config, { enabled: false, proxy_url: '' })
        assert.equal('secret_key' in user.s3_config, false)
      }
    })

    it('never returns a secret in clear and keeps it when a view is sent back', async () => {
      const created = await createUser(t, {
        name: 'Secretive',
        s3Config: { access_key: 'AK', secret_key: 'SK' },
        hmacKey: 'h'.repeat(40),
      })
      const [view] = (await t.admin({ method: 'GET', url: `/admin/users/${created.id}` })).json().data
      assert.equal(view.s3_config.access_key, '***')
      assert.equal(view.hmac_key, '***')
      // Send the masked view back as an update: the stored secrets must survive.
      const put = await t.admin({
        method: 'PUT',
        url: `/admin/users/${created.id}`,
        payload: { s3_config: view.s3_config, hmac_key: view.hmac_key, skip_groups: true },
      })
      assert.equal(put.statusCode, 200, put.body)
      assert.equal(put.json().data.skip_groups, true)
      assert.equal(put.json().data.s3_config.access_key, '***')
      assert.equal(put.json().data.hmac_key, '***')
    })

    it('updates only the fields given and merges nested configs', async () => {
      const created = await createUser(t, {
        name: 'Partial',
        events: 'Message',
        globalTransportSkips: { skipGlobalRedis: true },
        whatsappConfig: { waPlatform: 'WEB' },
      })
      const res = await t.admin({
        method: 'PUT',
        url: `/admin/users/${created.serial}`,
        payload: {
          Events: ['Message', 'Connected'],
          globalTransportSkips: { skipGlobalS3: true },
          whatsappConfig: { waDeviceName: 'Desk' },
        },
      })
      assert.equal(res.statusCode, 200, res.body)
      const user = res.json().data
      assert.equal(user.name, 'Partial')
      assert.equal(user.events, 'Message,Connected')
      assert.equal(user.globalTransportSkips.skipGlobalRedis, true)
      assert.equal(user.globalTransportSkips.skipGlobalS3, true)
      assert.deepEqual(user.whatsapp_config, { wa_platform: 'WEB', wa_device_name: 'Desk' })
    })

    it('generates a token when none is given, and refuses a duplicate token with 409', async () => {
      const a = await createUser(t, { name: 'NoToken' })
      assert.match(a.token, /^[0-9a-f]{32}$/)
      const dup = await t.admin({
        method: 'POST',
        url: '/admin/users',
        payload: { name: 'Dup', token: a.token },
      })
      assert.equal(dup.statusCode, 409)
      assert.deepEqual(dup.json(), { code: 409, error: 'token already in use', success: false })
      const b = await createUser(t, { name: 'Other' })
      const put = await t.admin({ method: 'PUT', url: `/admin/users/${b.id}`, payload: { token: a.token } })
      assert.equal(put.statusCode, 409)
    })

    it('deletes a user, and fully deletes another, in the documented shapes', async () => {
      const a = await createUser(t, { name: 'Gone' })
      const del = await t.admin({ method: 'DELETE', url: `/admin/users/${a.id}` })
      assert.equal(del.statusCode, 200)
      assert.deepEqual(del.json(), {
        code: 200,
        data: { id: a.id },
        details: 'User deleted successfully',
        success: true,
      })
      assert.equal((await t.admin({ method: 'GET', url: `/admin/users/${a.id}` })).statusCode, 404)

      const b = await createUser(t, { name: 'Purged' })
      const full = await t.admin({ method: 'DELETE', url: `/admin/users/${b.serial}/full` })
      assert.equal(full.statusCode, 200)
      assert.deepEqual(full.json(), {
        code: 200,
        data: { id: b.id, jid: '', name: 'Purged' },
        details: 'User instance removed completely',
        success: true,
      })
      // The deleted user's token no longer works.
      const me = await t.app.inject({
        method: 'POST',
        url: '/user/update',
        headers: { token: b.token },
        payload: { name: 'x' },
      })
      assert.equal(me.statusCode, 401)
    })

    const bad: [string, string, string, unknown, number, string][] = [
      ['missing name', 'POST', '/admin/users', { token: 'abcdefgh' }, 400, 'name is required'],
      ['blank name', 'POST', '/admin/users', { name: '' }, 400, 'name must NOT have fewer than 1 characters'],
      [
        'unknown event',
        'POST',
        '/admin/users',
        { name: 'x', events: 'Message,Bogus' },
        400,
        'unknown event names: Bogus',
      ],
      [
        'wrong type',
        'POST',
        '/admin/users',
        { name: 'x', expiration: 'soon' },
        400,
        'expiration must be integer',
      ],
      ['negative number', 'POST', '/admin/users', { name: 'x', history: -1 }, 400, 'history must be >= 0'],
      [
        'bad enum',
        'POST',
        '/admin/users',
        { name: 'x', callRejectType: 'hangup' },
        400,
        'callRejectType must be one of: busy, decline, declined, unavailable',
      ],
      [
        'webhook not a URL',
        'POST',
        '/admin/users',
        { name: 'x', webhook: 'not a url' },
        400,
        'webhook is not a valid URL',
      ],
      [
        'webhook scheme',
        'POST',
        '/admin/users',
        { name: 'x', webhook: 'file:///etc/passwd' },
        400,
        'webhook must use http or https',
      ],
      [
        'webhook metadata',
        'POST',
        '/admin/users',
        { name: 'x', webhook: 'http://169.254.169.254/latest' },
        400,
        'webhook points at a link-local or metadata address',
      ],
      [
        'proxy scheme',
        'POST',
        '/admin/users',
        { name: 'x', proxyConfig: { enabled: true, proxyURL: 'ftp://p' } },
        400,
        'proxyConfig.proxyURL must use http or https or socks4 or socks5 or socks5h',
      ],
      [
        'short hmac key',
        'POST',
        '/admin/users',
        { name: 'x', hmacKey: 'short' },
        400,
        'hmacKey must be at least 32 characters long',
      ],
      [
        'bad locale',
        'POST',
        '/admin/users',
        { name: 'x', whatsappConfig: { waLocaleCountry: 'usa' } },
        400,
        'whatsappConfig.waLocaleCountry must match pattern "^([A-Z]{2})?$"',
      ],
      ['array body', 'POST', '/admin/users', [1, 2], 400, 'body must be object'],
      [
        'unknown id',
        'GET',
        '/admin/users/0123456789abcdef0123456789abcdef',
        undefined,
        404,
        'user not found',
      ],
      ['unknown serial', 'PUT', '/admin/users/999999', { name: 'x' }, 404, 'user not found'],
      ['unknown delete', 'DELETE', '/admin/users/nope', undefined, 404, 'user not found'],
    ]
    for (const [name, method, url, payload, status, error] of bad) {
      it(`refuses ${name} with ${status} in the envelope`, async () => {
        const res = await t.admin({
          method: method as 'POST',
          url,
          ...(payload === undefined ? {} : { payload: payload as object }),
        })
        assert.equal(res.statusCode, status, res.body)
        assert.deepEqual(res.json(), { code: status, error, success: false })
      })
    }

    it('answers malformed JSON with 400, a huge body with 413 and a wrong type with 415', async () => {
      const post = (payload: string | object, headers: Record<string, string> = {}) =>
        t.admin({ method: 'POST', url: '/admin/users', headers, payload })
      const malformed = await post('{"name": ', { 'content-type': 'application/json' })
      assert.equal(malformed.statusCode, 400)
      assert.deepEqual(malformed.json(), { code: 400, error: 'malformed JSON body', success: false })

      const huge = await post({ name: 'x'.repeat(70_000) })
      assert.equal(huge.statusCode, 413)
      assert.deepEqual(huge.json(), { code: 413, error: 'request body too large', success: false })

      const xml = await post('<user/>', { 'content-type': 'application/xml' })
      assert.equal(xml.statusCode, 415)
      assert.equal(xml.json().success, false)
    })

    it('treats a JSON content type with no body as no body', async () => {
      const res = await t.admin({
        method: 'GET',
        url: '/admin/users',
        headers: { 'content-type': 'application/json' },
      })
      assert.equal(res.statusCode, 200)
      const empty = await t.admin({
        method: 'POST',
        url: '/admin/users',
        headers: { 'content-type': 'application/json' },
        payload: '',
      })
      assert.equal(empty.statusCode, 400)
      assert.equal(empty.json().error, 'body must be object')
    })

    it('answers an unknown route with 404 in the envelope', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/no/such/route' })
      assert.equal(res.statusCode, 404)
      assert.deepEqual(res.json(), { code: 404, error: 'not found', success: false })
    })
  })
}
