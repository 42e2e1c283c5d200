import type { Kysely } from 'kysely'

/** Which process delivers each sink, until when (unix ms): one dispatcher per sink at a time. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('sink_cursors')
    .addColumn('owner', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema
    .alterTable('sink_cursors')
    .addColumn('lease_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sink_cursors').dropColumn('lease_until').execute()
  await db.schema.alterTable('sink_cursors').dropColumn('owner').execute()
}
