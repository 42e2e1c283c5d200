import { type Kysely, type MigrationResultSet, Migrator, NO_MIGRATIONS, SqliteAdapter, sql } from 'kysely'
import { migrations } from './migrations/index.js'

/**
 * Applies every pending migration. Safe to run twice and from several processes at once:
 * PostgreSQL serialises through Kysely's advisory lock; on SQLite (where Kysely takes no lock)
 * the whole run holds SQLite's write lock (BEGIN IMMEDIATE), so a second process waits and
 * then finds nothing to do.
 */
export async function migrateToLatest<T>(db: Kysely<T>): Promise<string[]> {
  return applied(await locked(db, (conn) => migrator(conn).migrateToLatest()))
}

/** Undoes every migration (tests and `zapwire migrate --down`). */
export async function migrateToZero<T>(db: Kysely<T>): Promise<string[]> {
  return applied(await locked(db, (conn) => migrator(conn).migrateTo(NO_MIGRATIONS)))
}

function migrator<T>(db: Kysely<T>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } })
}

function applied(result: MigrationResultSet): string[] {
  if (result.error) throw result.error
  return (result.results ?? []).map((r) => r.migrationName)
}

async function locked<T>(db: Kysely<T>, run: (db: Kysely<T>) => Promise<MigrationResultSet>) {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return run(db)
  return db.connection().execute(async (conn) => {
    await sql`BEGIN IMMEDIATE`.execute(conn)
    const result = await run(conn).catch((error: unknown): MigrationResultSet => ({ error }))
    await sql.raw(result.error ? 'ROLLBACK' : 'COMMIT').execute(conn)
    return result
  })
}
