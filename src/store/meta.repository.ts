import type { Kysely } from 'kysely'
import type { DB } from './schema.js'

export class MetaRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async get(key: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst()
    return row?.value
  }

  /** Stores `value` unless the key is already set; returns what the key holds afterwards. */
  async setIfAbsent(key: string, value: string): Promise<string> {
    await this.db
      .insertInto('meta')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute()
    return (await this.get(key)) ?? value
  }

  /** A round trip to the database, for health checks. */
  async ping(): Promise<void> {
    await this.db.selectFrom('meta').select('key').limit(1).execute()
  }
}
