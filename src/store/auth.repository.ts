import type { Kysely } from 'kysely'
import type { DB } from './schema.js'

export interface KeyChange {
  type: string
  id: string
  /** Encrypted value, or null to delete. */
  value: string | null
}

/** Credentials, Signal keys and session leases of users; values arrive and leave encrypted. */
export class AuthRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async readCreds(userId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('auth_creds')
      .select('creds_enc')
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return row?.creds_enc
  }

  async writeCreds(userId: string, credsEnc: string, at: string): Promise<void> {
    await this.db
      .insertInto('auth_creds')
      .values({ user_id: userId, creds_enc: credsEnc, updated_at: at })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ creds_enc: credsEnc, updated_at: at }))
      .execute()
  }

  async readKeys(
    userId: string,
    type: string,
    ids: string[],
  ): Promise<{ key_id: string; value_enc: string }[]> {
    if (ids.length === 0) return []
    return this.db
      .selectFrom('auth_keys')
      .select(['key_id', 'value_enc'])
      .where('user_id', '=', userId)
      .where('type', '=', type)
      .where('key_id', 'in', ids)
      .execute()
  }

  /**
   * Applies every change in one transaction: batched upserts, and deletes for null values. The
   * last change to a key wins; replaying the same batch is harmless.
   */
  async writeKeys(userId: string, changes: KeyChange[]): Promise<void> {
    if (changes.length === 0) return
    const latest = new Map(changes.map((c) => [`${c.type}\u0000${c.id}`, c]))
    const upserts = [...latest.values()].filter((c) => c.value !== null)
    const deletes = new Map<string, string[]>()
    for (const c of latest.values())
      if (c.value === null) deletes.set(c.type, [...(deletes.get(c.type) ?? []), c.id])
    await this.db.transaction().execute(async (trx) => {
      for (const [type, ids] of deletes) {
        for (const chunk of chunks(ids, 500)) {
          await trx
            .deleteFrom('auth_keys')
            .where('user_id', '=', userId)
            .where('type', '=', type)
            .where('key_id', 'in', chunk)
            .execute()
        }
      }
      for (const chunk of chunks(upserts, 200)) {
        await trx
          .insertInto('auth_keys')
          .values(
            chunk.map((c) => ({ user_id: userId, type: c.type, key_id: c.id, value_enc: c.value as string })),
          )
          .onConflict((oc) =>
            oc
              .columns(['user_id', 'type', 'key_id'])
              .doUpdateSet((eb) => ({ value_enc: eb.ref('excluded.value_enc') })),
          )
          .execute()
      }
    })
  }

  async hasCreds(userId: string): Promise<boolean> {
    return (await this.readCreds(userId)) !== undefined
  }

  /** Forgets the user's WhatsApp identity: credentials and every key. */
  async purge(userId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('auth_keys').where('user_id', '=', userId).execute()
      await trx.deleteFrom('auth_creds').where('user_id', '=', userId).execute()
    })
  }

  /**
   * Takes or renews the user's lease for `owner` until `until` (unix ms). Succeeds when there is
   * no lease, the lease is the owner's, or it expired; returns whether the owner holds it now.
   */
  async acquireLease(userId: string, owner: string, until: number, now: number): Promise<boolean> {
    await this.db
      .insertInto('session_leases')
      .values({ user_id: userId, owner, expires_at: until })
      .onConflict((oc) =>
        oc
          .column('user_id')
          .doUpdateSet({ owner, expires_at: until })
          .where((eb) =>
            eb.or([eb('session_leases.owner', '=', owner), eb('session_leases.expires_at', '<', now)]),
          ),
      )
      .execute()
    const row = await this.db
      .selectFrom('session_leases')
      .select('owner')
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return row?.owner === owner
  }

  async releaseLease(userId: string, owner: string): Promise<void> {
    await this.db
      .deleteFrom('session_leases')
      .where('user_id', '=', userId)
      .where('owner', '=', owner)
      .execute()
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
