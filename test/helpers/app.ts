import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before } from 'node:test'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { type Config, loadConfig } from '../../src/config/config.js'
import { buildApp } from '../../src/server/app.js'
import { AuthRepository } from '../../src/store/auth.repository.js'
import { type Database, openDatabase } from '../../src/store/database.js'
import { createTestDatabase, type Dialect, type TestDatabase } from './databases.js'

export const ADMIN_TOKEN = 'test-admin-token-0123456789'

export interface TestApp {
  app: FastifyInstance
  config: Config
  database: TestDatabase
  encryptionKey: Buffer
  /** Credentials and leases, straight from the app's database. */
  credentials: AuthRepository
  /** Inject as the admin. */
  admin(options: InjectOptions): Promise<LightMyRequestResponse>
}

/**
 * Builds the real app on a fresh database of the given dialect before the suite and closes it
 * (and drops the database) after. Read the returned object's fields inside tests.
 */
export function useApp(
  dialect: Dialect,
  env: Record<string, string> | (() => Record<string, string>) = {},
): TestApp {
  const ctx = {} as TestApp
  let dataDir = ''
  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zapwire-data-'))
    ctx.database = await createTestDatabase(dialect)
    ctx.config = loadConfig({
      ZAPWIRE_DATA_DIR: dataDir,
      DATABASE_URL: ctx.database.url,
      ...(typeof env === 'function' ? env() : env),
    })
    ctx.encryptionKey = randomBytes(32)
    ctx.app = await buildApp(
      { config: ctx.config, adminToken: ADMIN_TOKEN, encryptionKey: ctx.encryptionKey },
      // TEST_GATEWAY_LOG=warn (or debug…) shows the gateway's own log while debugging a test.
      { logger: process.env.TEST_GATEWAY_LOG ? { level: process.env.TEST_GATEWAY_LOG } : false },
    )
    credentials = openDatabase(ctx.database.url)
    ctx.credentials = new AuthRepository(credentials.db)
    ctx.admin = (options) =>
      ctx.app.inject({ ...options, headers: { authorization: ADMIN_TOKEN, ...options.headers } })
  })
  let credentials: Database | undefined
  after(async () => {
    await ctx.app?.close()
    await credentials?.close()
    await ctx.database?.drop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })
  return ctx
}

/** Creates a user through the admin API and returns its id and token. */
export async function createUser(t: TestApp, body: Record<string, unknown> = {}) {
  const res = await t.admin({ method: 'POST', url: '/admin/users', payload: { name: 'Test', ...body } })
  if (res.statusCode !== 201) throw new Error(`createUser: ${res.statusCode} ${res.body}`)
  const data = res.json().data as { id: string; token: string; serial: number }
  return data
}

/**
 * Requests as one user: its token as a string, or read at each call (a suite sets it in `before`).
 * `events` reads the user's outbox events of one type, oldest first.
 */
export function userRequests(t: TestApp, token: string | (() => string)) {
  const headers = () => ({ token: typeof token === 'string' ? token : token() })
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: headers() })
  return {
    get,
    post: (url: string, payload: object = {}) =>
      t.app.inject({ method: 'POST', url, headers: headers(), payload }),
    put: (url: string, payload: object) => t.app.inject({ method: 'PUT', url, headers: headers(), payload }),
    delete: (url: string) => t.app.inject({ method: 'DELETE', url, headers: headers() }),
    events: async <E>(type: string) =>
      (await get(`/events?type=${type}&limit=1000`)).json().data.events as E[],
  }
}
