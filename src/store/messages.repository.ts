import type { Kysely } from 'kysely'
import type { ChatRow, ContactRow, MessageRow, MessageRowUpdate, NewMessageRow } from './messages.table.js'
import type { DB } from './schema.js'

/** Plain Kysely over `messages` and `identities`; every write takes an optional transaction. */
export class MessagesRepository {
  constructor(private readonly db: Kysely<DB>) {}

  find(userId: string, id: string, db: Kysely<DB> = this.db): Promise<MessageRow | undefined> {
    return db
      .selectFrom('messages')
      .selectAll()
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst()
  }

  /** Inserts the row unless the id is known; true when it was new. */
  async insert(row: NewMessageRow, db: Kysely<DB> = this.db): Promise<boolean> {
    const result = await db
      .insertInto('messages')
      .values(row)
      .onConflict((oc) => oc.columns(['user_id', 'id']).doNothing())
      .executeTakeFirst()
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
  }

  async update(userId: string, id: string, change: MessageRowUpdate, db: Kysely<DB> = this.db) {
    await db.updateTable('messages').set(change).where('user_id', '=', userId).where('id', '=', id).execute()
  }

  /** How many messages the user sent through the API since `since` (unix seconds). */
  async countSentSince(userId: string, since: number): Promise<number> {
    const row = await this.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('user_id', '=', userId)
      .where('from_api', '=', 1)
      .where('timestamp', '>=', since)
      .executeTakeFirst()
    return Number(row?.n ?? 0)
  }

  /** A chat's messages, newest first (by WhatsApp time, then arrival), older than `before`. */
  history(
    userId: string,
    chats: string[],
    limit: number,
    before?: { timestamp: number; createdAt: string },
  ): Promise<MessageRow[]> {
    let q = this.db
      .selectFrom('messages')
      .selectAll()
      .where('user_id', '=', userId)
      .where('chat', 'in', chats)
    if (before) {
      q = q.where((eb) =>
        eb.or([
          eb('timestamp', '<', before.timestamp),
          eb.and([eb('timestamp', '=', before.timestamp), eb('created_at', '<', before.createdAt)]),
        ]),
      )
    }
    return q.orderBy('timestamp', 'desc').orderBy('created_at', 'desc').limit(limit).execute()
  }

  /** Moves a chat to `at` (when later than what it has); inbound adds one unread, outbound clears them. */
  async touchChat(
    userId: string,
    /** `unread`: count one more (received), clear (we wrote), keep (history). */
    chat: { jid: string; lid: string; name: string; at: number; unread: 'add' | 'clear' | 'keep' },
    now: string,
    db: Kysely<DB> = this.db,
  ) {
    await db
      .insertInto('chats')
      .values({
        user_id: userId,
        jid: chat.jid,
        lid: chat.lid,
        name: chat.name,
        last_message_at: chat.at,
        unread: chat.unread === 'add' ? 1 : 0,
        pinned: 0,
        archived: 0,
        muted_until: 0,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['user_id', 'jid']).doUpdateSet((eb) => ({
          lid: chat.lid ? chat.lid : eb.ref('chats.lid'),
          name: chat.name ? chat.name : eb.ref('chats.name'),
          last_message_at: eb
            .case()
            .when('chats.last_message_at', '<', chat.at)
            .then(eb.val(chat.at))
            .else(eb.ref('chats.last_message_at'))
            .end(),
          unread:
            chat.unread === 'add'
              ? eb(eb.ref('chats.unread'), '+', 1)
              : chat.unread === 'clear'
                ? eb.val(0)
                : eb.ref('chats.unread'),
          updated_at: now,
        })),
      )
      .execute()
  }

  /** Changes a chat's settings, creating its row when the chat has no message yet. */
  async setChat(
    userId: string,
    jid: string,
    change: Partial<Pick<ChatRow, 'unread' | 'pinned' | 'archived' | 'muted_until'>>,
  ) {
    const now = new Date().toISOString()
    await this.db
      .insertInto('chats')
      .values({
        user_id: userId,
        jid,
        lid: '',
        name: '',
        last_message_at: 0,
        unread: 0,
        pinned: 0,
        archived: 0,
        muted_until: 0,
        ...change,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(['user_id', 'jid']).doUpdateSet({ ...change, updated_at: now }))
      .execute()
  }

  chats(userId: string): Promise<ChatRow[]> {
    return this.db
      .selectFrom('chats')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('pinned', 'desc')
      .orderBy('last_message_at', 'desc')
      .execute()
  }

  /** Records what is known of a person's names; empty fields keep what was known before. */
  async saveContact(
    userId: string,
    c: Pick<ContactRow, 'jid' | 'lid' | 'push_name' | 'full_name' | 'first_name' | 'business_name'>,
    now: string,
    db: Kysely<DB> = this.db,
  ) {
    await db
      .insertInto('contacts')
      .values({ user_id: userId, ...c, updated_at: now })
      .onConflict((oc) =>
        oc.columns(['user_id', 'jid']).doUpdateSet((eb) => {
          const keep = (column: 'lid' | 'push_name' | 'full_name' | 'first_name' | 'business_name') =>
            c[column] ? eb.val(c[column]) : eb.ref(`contacts.${column}`)
          return {
            lid: keep('lid'),
            push_name: keep('push_name'),
            full_name: keep('full_name'),
            first_name: keep('first_name'),
            business_name: keep('business_name'),
            updated_at: now,
          }
        }),
      )
      .execute()
  }

  contact(userId: string, jid: string): Promise<ContactRow | undefined> {
    return this.db
      .selectFrom('contacts')
      .selectAll()
      .where('user_id', '=', userId)
      .where((eb) => eb.or([eb('jid', '=', jid), eb('lid', '=', jid)]))
      .executeTakeFirst()
  }

  contacts(userId: string): Promise<ContactRow[]> {
    return this.db.selectFrom('contacts').selectAll().where('user_id', '=', userId).orderBy('jid').execute()
  }

  async saveIdentities(userId: string, pairs: { lid: string; pn: string }[], at: string) {
    if (pairs.length === 0) return
    await this.db
      .insertInto('identities')
      .values(pairs.map((p) => ({ user_id: userId, lid: p.lid, pn: p.pn, updated_at: at })))
      .onConflict((oc) =>
        oc.columns(['user_id', 'lid']).doUpdateSet((eb) => ({
          pn: eb.ref('excluded.pn'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute()
  }

  async pnForLid(userId: string, lid: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('identities')
      .select('pn')
      .where('user_id', '=', userId)
      .where('lid', '=', lid)
      .executeTakeFirst()
    return row?.pn
  }

  async lidForPn(userId: string, pn: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('identities')
      .select('lid')
      .where('user_id', '=', userId)
      .where('pn', '=', pn)
      .orderBy('updated_at', 'desc')
      .executeTakeFirst()
    return row?.lid
  }

  identities(userId: string, limit: number, offset: number) {
    return this.db
      .selectFrom('identities')
      .select(['lid', 'pn', 'updated_at'])
      .where('user_id', '=', userId)
      .orderBy('updated_at', 'desc')
      .limit(limit)
      .offset(offset)
      .execute()
  }

  async countIdentities(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('identities')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return Number(row?.n ?? 0)
  }

  /** Fills the missing phone or LID of earlier messages once a mapping is learned. */
  async linkIdentity(userId: string, lid: string, pn: string, db: Kysely<DB> = this.db) {
    const fill = [
      ['chat_pn', pn, 'chat_lid', lid],
      ['chat_lid', lid, 'chat_pn', pn],
      ['sender_pn', pn, 'sender_lid', lid],
      ['sender_lid', lid, 'sender_pn', pn],
    ] as const
    for (const [missing, value, known, is] of fill) {
      await db
        .updateTable('messages')
        .set({ [missing]: value })
        .where('user_id', '=', userId)
        .where(known, '=', is)
        .where(missing, '=', '')
        .execute()
    }
  }
}
