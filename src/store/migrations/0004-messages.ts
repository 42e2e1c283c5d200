import type { Kysely } from 'kysely'

/**
 * The message store (every inbound and outbound message, normalised, plus the engine's raw copy
 * for retries) and the identity table (which LID is which phone number, per user).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('messages')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('chat', 'text', (c) => c.notNull())
    .addColumn('chat_pn', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('chat_lid', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('sender_pn', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('sender_lid', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('from_me', 'integer', (c) => c.notNull())
    .addColumn('from_api', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('push_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('media', 'text')
    .addColumn('quoted_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error_code', 'integer')
    .addColumn('edited_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('reactions', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('votes', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('content', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('raw', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('messages_pk', ['user_id', 'id'])
    .execute()
  await db.schema
    .createIndex('messages_chat_time')
    .on('messages')
    .columns(['user_id', 'chat', 'timestamp'])
    .execute()

  await db.schema
    .createTable('identities')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('lid', 'text', (c) => c.notNull())
    .addColumn('pn', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('identities_pk', ['user_id', 'lid'])
    .execute()
  await db.schema.createIndex('identities_pn').on('identities').columns(['user_id', 'pn']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('identities').execute()
  await db.schema.dropTable('messages').execute()
}
