import type { Kysely } from 'kysely'
import type { DB } from './schema.js'
import type { NewUserRow, UserRow, UserRowUpdate } from './users.table.js'

/** Plain Kysely over `users`; returns rows, never domain objects. */
export class UsersRepository {
  constructor(private readonly db: Kysely<DB>) {}

  list(): Promise<UserRow[]> {
    return this.db.selectFrom('users').selectAll().orderBy('serial').execute()
  }

  findById(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
  }

  findBySerial(serial: number): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('serial', '=', serial).executeTakeFirst()
  }

  /** By Mega-api instance key, or by id for a user without one. */
  findByInstanceKey(key: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where((eb) =>
        eb.or([eb('instance_key', '=', key), eb.and([eb('id', '=', key), eb('instance_key', 'is', null)])]),
      )
      .executeTakeFirst()
  }

  findByTokenHash(hash: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('token_hash', '=', hash).executeTakeFirst()
  }

  async insert(row: NewUserRow): Promise<UserRow> {
    return this.db.insertInto('users').values(row).returningAll().executeTakeFirstOrThrow()
  }

  /** Applies the change only if the row still has `version`; undefined when it does not. */
  updateIfVersion(id: string, version: number, change: UserRowUpdate): Promise<UserRow | undefined> {
    return this.db
      .updateTable('users')
      .set({ ...change, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst()
  }

  /** The WhatsApp identity a session reported (not an admin edit: the version is not bumped). */
  async setIdentity(id: string, jid: string, lid: string): Promise<void> {
    await this.db.updateTable('users').set({ jid, lid }).where('id', '=', id).execute()
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('users').where('id', '=', id).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }
}
