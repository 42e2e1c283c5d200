import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { type Database, openDatabase } from '../src/store/database.js'
import { migrateToLatest, migrateToZero } from '../src/store/migrate.js'
import { migrations } from '../src/store/migrations/index.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from './helpers/databases.js'

const run = promisify(execFile)
const allNames = Object.keys(migrations)

async function tableNames(database: Database): Promise<string[]> {
  const tables = await database.db.introspection.getTables()
  return tables
    .map((t) => t.name)
    .filter((n) => !n.startsWith('kysely_'))
    .sort()
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: migrations`, () => {
    let testDb: TestDatabase
    before(async () => {
      testDb = await createTestDatabase(dialect)
    })
    after(async () => {
      await testDb.drop()
    })

    it('go up, are a no-op the second time, go down to zero and up again', async () => {
      const database = openDatabase(testDb.url)
      try {
        assert.deepEqual(await migrateToLatest(database.db), allNames)
        assert.deepEqual(await migrateToLatest(database.db), [])
        assert.deepEqual(await tableNames(database), [
          'auth_creds',
          'auth_keys',
          'chats',
          'contacts',
          'deliveries',
          'events',
          'identities',
          'messages',
          'meta',
          'monitoring_events',
          'session_leases',
          'sink_cursors',
          'users',
        ])
        assert.deepEqual(await migrateToZero(database.db), [...allNames].reverse())
        assert.deepEqual(await tableNames(database), [])
        assert.deepEqual(await migrateToLatest(database.db), allNames)
        await sql`select count(*) from users`.execute(database.db)
      } finally {
        await database.close()
      }
    })

    it('are safe from several processes at once (zapwire migrate)', async () => {
      const fresh = await createTestDatabase(dialect)
      try {
        const env = { ...process.env, DATABASE_URL: fresh.url, ZAPWIRE_ENCRYPTION_KEY: 'ab'.repeat(32) }
        const results = await Promise.all(
          [1, 2, 3, 4].map(() => run(process.execPath, ['dist/cli.js', 'migrate'], { env })),
        )
        const applied = results.filter((r) => r.stdout.startsWith('Applied'))
        assert.equal(applied.length, 1, results.map((r) => r.stdout).join('|'))
        assert.equal(results.filter((r) => r.stdout.startsWith('Nothing to do')).length, 3)
        const database = openDatabase(fresh.url)
        try {
          assert.deepEqual(await tableNames(database), [
            'auth_creds',
            'auth_keys',
            'chats',
            'contacts',
            'deliveries',
            'events',
            'identities',
            'messages',
            'meta',
            'monitoring_events',
            'session_leases',
            'sink_cursors',
            'users',
          ])
        } finally {
          await database.close()
        }
      } finally {
        await fresh.drop()
      }
    })
  })
}
