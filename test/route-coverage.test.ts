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
const PENDING = new Set<string>([])

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
