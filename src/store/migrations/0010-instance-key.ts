import type { Kysely } from 'kysely'

/** A user's Mega-api instance key (optional; the user id serves when it is empty). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('instance_key', 'text').execute()
  await db.schema.createIndex('users_instance_key').unique().on('users').column('instance_key').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('users_instance_key').execute()
  await db.schema.alterTable('users').dropColumn('instance_key').execute()
}
