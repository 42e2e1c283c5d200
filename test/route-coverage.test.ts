import assert from 'node:assert/strict'
import fs from 'node:fs'
import { describe, it } from 'node:test'
import { generateOpenApi } from '../scripts/openapi.js'
import { ADMIN_TOKEN, createUser, useApp } from './helpers/app.js'

/** Every method+path of the three wuzapi-family seeds (wuzapi, Miauzap, DIGIGO), from their documents. */
const SEED_ROUTES = JSON.parse(fs.readFileSync('test/fixtures/wuzapi-seed-routes.json', 'utf8')) as {
  method: string
  path: string
  seeds: string[]
}[]

/**
 * Seed routes not served yet (the rest-of-wuzapi work removes them as they arrive). The test
 * fails both when one of these is served (take it off) and when another is missing.
 */
const PENDING = new Set([
  'GET /admin/instances/status',
  'GET /admin/license/info',
  'GET /blocklist',
  'GET /business/bots',
  'GET /device/linked',
  'GET /group/info',
  'GET /group/invitelink',
  'GET /group/list',
  'GET /newsletter/list',
  'GET /newsletter/subscribed',
  'GET /privacy/blocklist',
  'GET /privacy/settings',
  'GET /privacy/status',
  'GET /proxy/config',
  'GET /session/presence/config',
  'GET /user/avatar',
  'GET /user/privacy/settings',
  'GET /user/status',
  'POST /blocklist/update',
  'POST /business/bot-profiles',
  'POST /business/contact-qr',
  'POST /business/order/send',
  'POST /business/resolve-link',
  'POST /call/reject/send',
  'POST /community/announcement',
  'POST /community/create',
  'POST /community/link',
  'POST /community/linked-groups',
  'POST /community/requests',
  'POST /community/requests/update',
  'POST /community/sub-groups',
  'POST /community/unlink',
  'POST /device/platform',
  'POST /device/users',
  'POST /device/users/context',
  'POST /group/announce',
  'POST /group/create',
  'POST /group/description',
  'POST /group/ephemeral',
  'POST /group/inviteinfo',
  'POST /group/join',
  'POST /group/leave',
  'POST /group/link',
  'POST /group/locked',
  'POST /group/name',
  'POST /group/photo',
  'POST /group/photo/remove',
  'POST /group/requests',
  'POST /group/requests/update',
  'POST /group/subgroups',
  'POST /group/topic',
  'POST /group/updateparticipants',
  'POST /label/chat',
  'POST /label/manage',
  'POST /label/message',
  'POST /newsletter/accept-tos',
  'POST /newsletter/admin-invite',
  'POST /newsletter/create',
  'POST /newsletter/follow',
  'POST /newsletter/follow-invite',
  'POST /newsletter/info',
  'POST /newsletter/mark-viewed',
  'POST /newsletter/message-updates',
  'POST /newsletter/messages',
  'POST /newsletter/mute',
  'POST /newsletter/reaction',
  'POST /newsletter/send',
  'POST /newsletter/subscribe-live-updates',
  'POST /newsletter/unfollow',
  'POST /newsletter/unfollow-invite',
  'POST /privacy/blocklist',
  'POST /privacy/disappearing-timer',
  'POST /privacy/settings',
  'POST /proxy/test',
  'POST /session/presence/config',
  'POST /status/send/audio',
  'POST /status/send/image',
  'POST /status/send/text',
  'POST /status/send/video',
  'POST /sync/app-state',
  'POST /sync/full-history',
  'POST /sync/history-request',
  'POST /user/avatar',
  'POST /user/business/profile',
  'POST /user/check',
  'POST /user/contact/add',
  'POST /user/contact/remove',
  'POST /user/devices',
  'POST /user/info',
  'POST /user/photo',
  'POST /user/photo/remove',
  'POST /user/presence',
  'POST /user/pushname',
  'POST /user/status',
  'PUT /proxy/config',
])

const key = (method: string, path: string) => `${method} ${path.replace(/\{[^}]+\}/g, '{}')}`

describe('every route of the wuzapi-family seeds', async () => {
  const doc = JSON.parse(await generateOpenApi()) as { paths: Record<string, Record<string, unknown>> }
  const documented = new Set(
    Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => key(m.toUpperCase(), path)),
    ),
  )
  const t = useApp('sqlite')

  it('is in the OpenAPI document and answered by a handler (no route-not-found 404), but the pending ones', async () => {
    assert.equal(SEED_ROUTES.length, 208)
    const user = await createUser(t, { name: 'coverage' })
    const missing: string[] = []
    for (const { method, path } of SEED_ROUTES) {
      const url = path.replace(/\{[^}]+\}/g, 'x')
      const headers = path.startsWith('/admin') ? { authorization: ADMIN_TOKEN } : { token: user.token }
      // A stream (the monitoring SSE) never ends: a handler that answers slowly is a handler.
      const res = await Promise.race([
        t.app.inject({
          method: method as 'GET',
          url,
          headers,
          ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
        }),
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 3_000).unref()),
      ])
      const routeless = res?.statusCode === 404 && /^not found$/.test(String(res.json().error))
      if (routeless || !documented.has(key(method, path))) missing.push(`${method} ${path}`)
    }
    const served = [...PENDING].filter((r) => !missing.includes(r))
    assert.deepEqual(served, [], 'served now: take these off PENDING')
    assert.deepEqual(
      missing.filter((r) => !PENDING.has(r)),
      [],
      'seed routes neither served nor documented',
    )
  })
})
