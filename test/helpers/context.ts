import { randomBytes } from 'node:crypto'
import { after, before } from 'node:test'
import { type Context, openContext } from '../../src/services/context.js'
import { createTestDatabase, type Dialect, type TestDatabase } from './databases.js'

/** Services over a fresh database of `dialect` for a suite (no HTTP); read the fields in tests. */
export function useContext(dialect: Dialect, options: { blockPrivateUrls?: boolean } = {}) {
  const ctx = { key: randomBytes(32) } as { key: Buffer; db: TestDatabase; context: Context }
  before(async () => {
    ctx.db = await createTestDatabase(dialect)
    ctx.context = await openContext({
      databaseUrl: ctx.db.url,
      adminToken: 'a'.repeat(16),
      encryptionKey: ctx.key,
      blockPrivateUrls: options.blockPrivateUrls ?? false,
    })
  })
  after(async () => {
    await ctx.context?.close()
    await ctx.db?.drop()
  })
  return ctx
}
