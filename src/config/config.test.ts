import assert from 'node:assert/strict'
import path from 'node:path'
import { describe, it } from 'node:test'
import { redactUrl } from '../lib/redact.js'
import { ConfigError, loadConfig, parseKey } from './config.js'

describe('configuration', () => {
  it('serves a new user with defaults: port 8080, ./data, SQLite in it', () => {
    const c = loadConfig({})
    assert.equal(c.port, 8080)
    assert.equal(c.dataDir, path.resolve('data'))
    assert.equal(c.databaseUrl, `sqlite:${path.resolve('data', 'zapwire.db')}`)
    assert.equal(c.logLevel, 'info')
    assert.equal(c.basePath, '')
    assert.equal(c.bodyLimit, 64 * 1024 * 1024)
    assert.equal(c.adminToken, undefined)
  })

  it("accepts the seed systems' names for the admin token", () => {
    assert.equal(loadConfig({ WUZAPI_ADMIN_TOKEN: 'wuzapi-token' }).adminToken, 'wuzapi-token')
    assert.equal(loadConfig({ DIGIGO_ADMIN_TOKEN: 'digigo-token' }).adminToken, 'digigo-token')
    assert.equal(
      loadConfig({ ZAPWIRE_ADMIN_TOKEN: 'zapwire-token', WUZAPI_ADMIN_TOKEN: 'wuzapi-token' }).adminToken,
      'zapwire-token',
    )
  })

  it('normalises the base path', () => {
    assert.equal(loadConfig({ ZAPWIRE_BASE_PATH: 'api/' }).basePath, '/api')
    assert.equal(loadConfig({ ZAPWIRE_BASE_PATH: '/gw/v1' }).basePath, '/gw/v1')
  })

  it('lists every wrong value, one clear message each', () => {
    let error: ConfigError | undefined
    try {
      loadConfig({
        ZAPWIRE_PORT: 'eighty',
        ZAPWIRE_LOG_LEVEL: 'loud',
        DATABASE_URL: 'mysql://u:pw@h/db',
        ZAPWIRE_ADMIN_TOKEN: 'short',
        ZAPWIRE_ENCRYPTION_KEY: 'not-a-key',
        ZAPWIRE_BODY_LIMIT: '10',
        ZAPWIRE_BLOCK_PRIVATE_URLS: 'maybe',
        ZAPWIRE_BASE_PATH: '/a b',
      })
    } catch (err) {
      error = err as ConfigError
    }
    assert.ok(error instanceof ConfigError)
    assert.deepEqual(error.problems, [
      'DATABASE_URL=mysql://u:***@h/db must start with sqlite: or postgres://',
      'ZAPWIRE_LOG_LEVEL=loud must be one of fatal, error, warn, info, debug, trace, silent',
      'ZAPWIRE_BASE_PATH=/a b must be a URL path such as /api',
      'ZAPWIRE_ADMIN_TOKEN must be at least 8 characters long',
      'ZAPWIRE_ENCRYPTION_KEY must be 32 bytes written as 64 hex characters or base64',
      'ZAPWIRE_PORT=eighty must be a whole number from 0 to 65535',
      'ZAPWIRE_BODY_LIMIT=10 must be a whole number from 1024 to 2147483648',
      'ZAPWIRE_BLOCK_PRIVATE_URLS=maybe must be true or false',
    ])
  })

  it('parses 32-byte keys as hex or base64 only', () => {
    assert.equal(parseKey('ab'.repeat(32))?.length, 32)
    assert.equal(parseKey(Buffer.alloc(32, 7).toString('base64'))?.length, 32)
    assert.equal(parseKey(Buffer.alloc(16).toString('base64')), undefined)
    assert.equal(parseKey('ab'.repeat(31)), undefined)
  })

  it('redacts passwords in URLs', () => {
    assert.equal(redactUrl('postgres://me:secret@db:5432/x'), 'postgres://me:***@db:5432/x')
  })
})
