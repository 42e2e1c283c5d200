import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import SQLite from 'better-sqlite3'
import { ADMIN_TOKEN, useApp } from './helpers/app.js'
import { DIALECTS } from './helpers/databases.js'

for (const dialect of DIALECTS) {
  describe(`${dialect}: health`, () => {
    const t = useApp(dialect)

    it("answers /health without auth in DIGIGO's shape", async () => {
      const res = await t.app.inject({ method: 'GET', url: '/health' })
      assert.equal(res.statusCode, 200)
      const body = res.json()
      assert.equal(body.code, 200)
      assert.equal(body.data, 'OK')
      assert.equal(body.success, true)
      assert.equal(body.status, 'healthy')
      assert.match(body.version, /^\d+\.\d+\.\d+/)
      assert.equal(typeof body.uptime, 'number')
      assert.ok(Date.parse(body.timestamp))
      assert.equal(typeof body.metrics.cpu_count, 'number')
      assert.equal(typeof body.environment.containerized, 'boolean')
      const database = body.services.database
      assert.equal(database.status, 'up')
      assert.equal(database.driver, dialect)
      assert.equal(typeof database.latency_ms, 'number')
      assert.ok(database.open_connections >= 1)
      assert.equal(database.error, null)
    })
  })
}

describe('metrics, request ids, base path', () => {
  const t = useApp('sqlite', { ZAPWIRE_BASE_PATH: '/api', ZAPWIRE_METRICS_TOKEN: 'metrics-secret' })

  it('mounts every route under the base path', async () => {
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode, 200)
    assert.equal((await t.app.inject({ method: 'GET', url: '/health' })).statusCode, 404)
    const users = await t.app.inject({
      method: 'GET',
      url: '/api/admin/users',
      headers: { authorization: ADMIN_TOKEN },
    })
    assert.equal(users.statusCode, 200)
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).statusCode, 200)
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/api/' })).statusCode, 200)
  })

  it('guards /metrics with its token and reports request durations by route and status', async () => {
    await t.app.inject({
      method: 'GET',
      url: '/api/admin/users/abc',
      headers: { authorization: ADMIN_TOKEN },
    })
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/metrics' })).statusCode, 401)
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/metrics',
      headers: { authorization: 'Bearer metrics-secret' },
    })
    assert.equal(res.statusCode, 200)
    assert.match(res.headers['content-type'] as string, /text\/plain/)
    assert.match(
      res.body,
      /zapwire_http_request_duration_seconds_count\{method="GET",route="\/api\/admin\/users\/:id",status_code="404"\} 1/,
    )
    assert.match(res.body, /process_resident_memory_bytes/)
  })

  it('echoes or generates a request id', async () => {
    const given = await t.app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { 'x-request-id': 'abc-123' },
    })
    assert.equal(given.headers['x-request-id'], 'abc-123')
    const made = await t.app.inject({ method: 'GET', url: '/api/health' })
    assert.match(made.headers['x-request-id'] as string, /^[0-9a-f-]{36}$/)
  })

  it('answers an internal failure with a fixed 500 body and the request id, no details', async () => {
    // Break the database underneath the running app.
    const sqlite = new SQLite(t.database.url.slice('sqlite:'.length))
    sqlite.exec('DROP TABLE users')
    sqlite.close()
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/admin/users',
      headers: { authorization: ADMIN_TOKEN, 'x-request-id': 'req-500' },
    })
    assert.equal(res.statusCode, 500)
    assert.deepEqual(res.json(), {
      code: 500,
      error: 'internal server error',
      success: false,
      request_id: 'req-500',
    })
  })

  it('reports unhealthy with 503 when the database fails', async () => {
    const sqlite = new SQLite(t.database.url.slice('sqlite:'.length))
    sqlite.exec('DROP TABLE meta')
    sqlite.close()
    const res = await t.app.inject({ method: 'GET', url: '/api/health' })
    assert.equal(res.statusCode, 503)
    assert.equal(res.json().status, 'unhealthy')
    assert.equal(res.json().data, 'ERROR')
    assert.equal(res.json().services.database.status, 'down')
  })
})
