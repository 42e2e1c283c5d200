import type { Kysely } from 'kysely'
import type { NormalizedMessage } from '../engine/messages.js'
import type { NewEvent } from '../events/event.js'
import type { Outbox } from '../events/outbox.js'
import type { MessagesRepository } from '../store/messages.repository.js'
import type { DB } from '../store/schema.js'
import type { IdentityService } from './identity.service.js'
import { messageToRow, rowToMessage, type StoredMessage } from './messages.model.js'
import { bare } from './recipient.js'

export type Account = { jid: string; lid: string }

/**
 * The message store as both directions write it: a message stored once (the id is the key) with
 * its events in the same transaction, and the changes (edit, revoke, reaction, vote) applied to
 * the message they point at.
 */
export class MessageLedger {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly repo: MessagesRepository,
    private readonly outbox: Outbox,
    private readonly identity: IdentityService,
  ) {}

  /** Edits, revokes, reactions and votes change the message they point at (when it is stored). */
  async applyToTarget(userId: string, message: NormalizedMessage, by: string, events: NewEvent[]) {
    await this.db.transaction().execute(async (tx) => {
      const row = await this.repo.find(userId, message.targetId!, tx)
      if (row) {
        const target = rowToMessage(row)
        const at = new Date().toISOString()
        if (message.type === 'edit')
          await this.repo.update(
            userId,
            target.id,
            { text: message.text, edited_at: message.timestamp, updated_at: at },
            tx,
          )
        if (message.type === 'revoke')
          await this.repo.update(userId, target.id, { revoked_at: message.timestamp, updated_at: at }, tx)
        if (message.type === 'reaction') {
          const reactions = { ...target.reactions }
          if (message.reaction) reactions[by] = message.reaction
          else delete reactions[by]
          await this.repo.update(
            userId,
            target.id,
            { reactions: JSON.stringify(reactions), updated_at: at },
            tx,
          )
        }
        if (message.type === 'poll_vote') {
          const votes = { ...target.votes, [by]: message.votes ?? [] }
          await this.repo.update(userId, target.id, { votes: JSON.stringify(votes), updated_at: at }, tx)
        }
      }
      await this.outbox.append(events, tx)
    })
    this.outbox.notify()
  }

  /**
   * Stores a new message with its events, or (a duplicate) does nothing at all; one from history
   * leaves the chat's unread count as it is.
   */
  async store(
    userId: string,
    m: StoredMessage,
    raw: string,
    events: NewEvent[],
    history = false,
    within?: (tx: Kysely<DB>) => Promise<unknown>,
  ): Promise<boolean> {
    const at = new Date().toISOString()
    const inserted = await this.db.transaction().execute(async (tx) => {
      if (!(await this.repo.insert(messageToRow(userId, m, raw, at), tx))) return false
      const group = m.chat.endsWith('@g.us')
      await this.repo.touchChat(
        userId,
        {
          jid: m.chatPn || m.chat,
          lid: m.chatLid,
          name: !group && !m.fromMe ? m.pushName : '',
          at: m.timestamp,
          unread: history ? 'keep' : m.fromMe ? 'clear' : 'add',
        },
        at,
        tx,
      )
      await this.outbox.append(events, tx)
      await within?.(tx)
      return true
    })
    this.outbox.notify()
    return inserted
  }

  async toStored(
    userId: string,
    m: NormalizedMessage,
    account: Account,
    how: { fromApi: boolean; status: StoredMessage['status'] },
  ): Promise<StoredMessage> {
    const chat = await this.identity.both(userId, m.chat, m.chatAlt)
    const sender = m.fromMe
      ? { pn: bare(account.jid), lid: bare(account.lid) }
      : await this.identity.both(userId, m.sender, m.senderAlt)
    return {
      id: m.id,
      chat: chat.pn || m.chat,
      chatPn: chat.pn,
      chatLid: chat.lid,
      senderPn: sender.pn,
      senderLid: sender.lid,
      fromMe: m.fromMe,
      fromApi: how.fromApi,
      pushName: m.pushName,
      type: m.type,
      text: m.text,
      media: m.media,
      quotedId: m.quotedId ?? '',
      timestamp: m.timestamp,
      status: how.status,
      errorCode: undefined,
      editedAt: undefined,
      revokedAt: undefined,
      reactions: {},
      votes: {},
      content: m.content,
    }
  }
}
