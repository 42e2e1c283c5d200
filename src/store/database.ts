import SQLite from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import type { DB } from './schema.js'

export type DialectName = 'sqlite' | 'postgres'

export interface PoolStats {
  open: number
  inUse: number
  idle: number
}

/** The Kysely instance plus what health checks and shutdown need from the driver. */
export interface Database {
  db: Kysely<DB>
  dialect: DialectName
  poolStats(): PoolStats
  close(): Promise<void>
}

/** Opens `sqlite:<file>` (WAL, busy timeout, foreign keys) or `postgres://…` (a pool). */
export function openDatabase(
  url: string,
  options: { poolSize?: number; onError?: (err: Error) => void } = {},
): Database {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') || ':memory:'
    const sqlite = new SQLite(file)
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('busy_timeout = 5000')
    sqlite.pragma('foreign_keys = ON')
    sqlite.pragma('synchronous = NORMAL')
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) })
    return {
      db,
      dialect: 'sqlite',
      poolStats: () => ({ open: sqlite.open ? 1 : 0, inUse: 0, idle: sqlite.open ? 1 : 0 }),
      close: () => db.destroy(),
    }
  }
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 })
  // A server restart or a dropped connection must be logged, never crash the process; and
  // close() waits until every socket has really ended (pg-pool's end() only asks them to).
  const onError = options.onError ?? (() => undefined)
  const sockets = new Set<Promise<void>>()
  pool.on('error', onError)
  pool.on('connect', (client) => {
    client.on('error', onError)
    const ended = new Promise<void>((resolve) => client.once('end', () => resolve()))
    sockets.add(ended)
    void ended.then(() => sockets.delete(ended))
  })
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  return {
    db,
    dialect: 'postgres',
    poolStats: () => ({
      open: pool.totalCount,
      inUse: pool.totalCount - pool.idleCount,
      idle: pool.idleCount,
    }),
    close: async () => {
      await db.destroy()
      await Promise.all(sockets)
    },
  }
}

/**
 * Kysely prepares every query anew; better-sqlite3 statements are reusable, so keep the most
 * recent ones by SQL text. Parameters are bound per call, so reuse is safe.
 */
function withStatementCache(sqlite: SQLite.Database, size = 500): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>()
  const prepare = (source: string) => {
    let statement = cache.get(source)
    if (statement) {
      cache.delete(source)
    } else {
      statement = sqlite.prepare(source)
      if (cache.size >= size) cache.delete(cache.keys().next().value as string)
    }
    cache.set(source, statement)
    return statement
  }
  return new Proxy(sqlite, {
    get: (target, key) => (key === 'prepare' ? prepare : Reflect.get(target, key, target)),
  })
}
