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

const key = (method: string, path: string) => `${method} ${path.replace(/\{[^}]+\}/g, '{}')}`

describe('every route of the wuzapi-family seeds', async () => {
  const doc = JSON.parse(await generateOpenApi()) as { paths: Record<string, Record<string, unknown>> }
  const documented = new Set(
    Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => key(m.toUpperCase(), path)),
    ),
  )
  const t = useApp('sqlite')

  it('is in the OpenAPI document and answered by a handler (no route-not-found 404)', async () => {
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
    assert.deepEqual(missing, [], 'seed routes neither served nor documented')
  })
})

describe('every route of the Mega-api documents (48, plus the 2 its clients call, plus both read paths)', async () => {
  const MEGA_ROUTES = JSON.parse(fs.readFileSync('test/fixtures/megaapi-routes.json', 'utf8')) as {
    method: string
    path: string
  }[]
  const doc = JSON.parse(await generateOpenApi()) as { paths: Record<string, Record<string, unknown>> }
  const documented = new Set(
    Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => key(m.toUpperCase(), path.replace(/\/$/, ''))),
    ),
  )
  const t = useApp('sqlite')

  it('is in the OpenAPI document and answered by a handler under /rest', async () => {
    assert.equal(MEGA_ROUTES.length, 52)
    const user = await createUser(t, { name: 'mega-coverage', instanceKey: 'megaapi-coverage' })
    const missing: string[] = []
    for (const { method, path } of MEGA_ROUTES) {
      const url = path.replace('{instance_key}', 'megaapi-coverage')
      const res = await Promise.race([
        t.app.inject({
          method: method as 'GET',
          url,
          headers: { authorization: `Bearer ${user.token}` },
          ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
        }),
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 3_000).unref()),
      ])
      const routeless = res?.statusCode === 404 && res.json().message === 'route not found'
      if (routeless || !documented.has(key(method, path.replace(/\/$/, ''))))
        missing.push(`${method} ${path}`)
    }
    assert.deepEqual(missing, [])
  })
})
