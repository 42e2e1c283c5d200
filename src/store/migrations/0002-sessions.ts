import type { Kysely } from 'kysely'

/** WhatsApp credentials and Signal keys per user (encrypted), and the one-live-socket lease. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('auth_creds')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('creds_enc', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('auth_keys')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('value_enc', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('auth_keys_pk', ['user_id', 'type', 'key_id'])
    .execute()
  await db.schema
    .createTable('session_leases')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('session_leases').execute()
  await db.schema.dropTable('auth_keys').execute()
  await db.schema.dropTable('auth_creds').execute()
}
