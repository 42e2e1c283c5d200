import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { NormalizedMessage, Receipt } from '../engine/messages.js'
import type { ContactInfo } from '../engine/port.js'
import type { NewEvent } from '../events/event.js'
import { messageEvent, messageUpdateEvent, presenceEvent, receiptEvent } from '../events/message-events.js'
import type { Outbox } from '../events/outbox.js'
import type { MessagesRepository } from '../store/messages.repository.js'
import type { DB } from '../store/schema.js'
import type { IdentityService } from './identity.service.js'
import type { Account, MessageLedger } from './message-ledger.js'
import type { MonitoringService } from './monitoring.service.js'
import { pair } from './recipient.js'
import type { InboundSink, SessionsService } from './sessions.service.js'

type InboundEvent = Parameters<InboundSink['handle']>[2]

/**
 * What the sessions receive: messages, receipts, presences, contacts and LID mappings, applied in
 * order per session to the stores and reported through the outbox.
 */
export class InboundService implements InboundSink {
  private readonly inbound = new Map<string, Promise<void>>()

  /** The contact rows this process last wrote, by user and JID (bounded, oldest dropped first). */
  private readonly contactsWritten = new Map<string, ContactFields>()

  constructor(
    private readonly db: Kysely<DB>,
    private readonly repo: MessagesRepository,
    private readonly ledger: MessageLedger,
    private readonly outbox: Outbox,
    sessions: SessionsService,
    private readonly identity: IdentityService,
    private readonly log: Logger,
    private readonly monitoring: MonitoringService,
  ) {
    sessions.setInbound(this)
  }

  handle(userId: string, account: Account, event: InboundEvent): void {
    this.enqueue(userId, event.type, () => this.apply(userId, account, event))
  }

  private enqueue(userId: string, what: string, work: () => Promise<void>): void {
    const previous = this.inbound.get(userId) ?? Promise.resolve()
    const next = previous
      .then(work)
      .catch((err) => this.log.error({ err, userId, type: what }, 'storing an inbound event failed'))
    this.inbound.set(userId, next)
  }

  /** Resolves once every inbound event handed over so far for the user is stored. */
  async settled(userId: string): Promise<void> {
    await this.inbound.get(userId)
  }

  /** Waits for every inbound write handed over so far (shutdown, before the database closes). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inbound.values()])
  }

  async rawMessage(userId: string, id: string): Promise<string | undefined> {
    return (await this.repo.find(userId, id))?.raw ?? undefined
  }

  private async apply(userId: string, account: Account, event: InboundEvent): Promise<void> {
    switch (event.type) {
      case 'identities':
        return this.identity.learn(userId, event.pairs)
      case 'messages':
        for (const message of event.messages) await this.ingest(userId, account, message)
        return
      case 'receipts':
        for (const receipt of event.receipts) await this.receipt(userId, account, receipt)
        return
      case 'contacts': {
        const now = new Date().toISOString()
        await this.identity.learn(
          userId,
          event.contacts.flatMap((c) =>
            c.lid && c.jid.endsWith('@s.whatsapp.net') ? [{ lid: c.lid, pn: c.jid }] : [],
          ),
        )
        for (const c of event.contacts) await this.saveContact(userId, contactRow(c), now)
        return
      }
      case 'history':
        return this.history(userId, account, event)
      case 'presence': {
        const who = await this.identity.phoneOf(userId, event.who)
        const chat = await this.identity.phoneOf(userId, event.chat)
        await this.outbox.append([presenceEvent(userId, account, { ...event, who, chat })])
        return
      }
    }
  }

  /**
   * A history chunk: its messages are stored (without a `Message` event each: they are not new)
   * and the chunk is reported as one `HistorySync` event, its messages grouped by chat.
   */
  private async history(
    userId: string,
    account: Account,
    chunk: Extract<InboundEvent, { type: 'history' }>,
  ): Promise<void> {
    const conversations = new Map<string, { ID: string; lid: string; messages: { message: object }[] }>()
    for (const chat of chunk.chats) {
      const { pn, lid } = await this.identity.both(userId, chat, undefined)
      conversations.set(pn || chat, { ID: pn || chat, lid, messages: [] })
    }
    for (const message of chunk.messages) {
      await this.identity.learn(
        userId,
        [pair(message.chat, message.chatAlt), pair(message.sender, message.senderAlt)].filter(
          (p) => p !== undefined,
        ),
      )
      const stored = await this.ledger.toStored(userId, message, account, {
        fromApi: false,
        status: message.fromMe ? 'sent' : 'received',
      })
      if (message.targetId)
        await this.ledger.applyToTarget(userId, message, stored.senderPn || stored.senderLid, [])
      else await this.ledger.store(userId, stored, message.raw, [], true)
      const key = stored.chatPn || stored.chat
      let conversation = conversations.get(key)
      if (!conversation) {
        conversation = { ID: key, lid: stored.chatLid, messages: [] }
        conversations.set(key, conversation)
      }
      conversation.messages.push({ message: messageEvent(userId, stored, account).data })
    }
    await this.outbox.append([
      {
        id: `${userId}:HistorySync:${chunk.syncType}:${chunk.chunkOrder ?? 0}:${Date.now()}`,
        userId,
        type: 'HistorySync',
        chat: '',
        jid: account.jid,
        lid: account.lid,
        data: {
          Data: {
            syncType: chunk.syncType,
            chunkOrder: chunk.chunkOrder ?? 0,
            progress: chunk.progress ?? 0,
            conversations: [...conversations.values()],
          },
          chats: conversations.size,
          messages: chunk.messages.length,
          // The /sync/history-request or /sync/full-history this chunk answers.
          ...(chunk.requestId
            ? {
                request_id: chunk.requestId,
                fullHistorySyncOnDemandRequestMetadata: { requestId: chunk.requestId },
              }
            : {}),
        },
      },
    ])
  }

  private async ingest(userId: string, account: Account, message: NormalizedMessage) {
    const pairs = [pair(message.chat, message.chatAlt), pair(message.sender, message.senderAlt)].filter(
      (p) => p !== undefined,
    )
    await this.identity.learn(userId, pairs)
    const stored = await this.ledger.toStored(userId, message, account, {
      fromApi: false,
      status: message.fromMe ? 'sent' : 'received',
    })
    if (!stored.fromMe && stored.pushName && (stored.senderPn || stored.senderLid))
      await this.saveContact(
        userId,
        contactRow({
          jid: stored.senderPn || stored.senderLid,
          lid: stored.senderLid,
          pushName: stored.pushName,
        }),
        new Date().toISOString(),
      )
    const events: NewEvent[] = [
      messageEvent(userId, stored, account, message.targetId ? { targetId: message.targetId } : {}),
    ]
    if (message.targetId) {
      const by = stored.senderPn || stored.senderLid
      const change = (data: object) =>
        messageUpdateEvent(userId, account, {
          kind: message.type,
          targetId: message.targetId!,
          chat: stored.chatPn || stored.chat,
          by,
          sourceId: message.id,
          data,
        })
      if (message.type === 'reaction') events.push(change({ Reaction: message.reaction ?? '' }))
      if (message.type === 'edit') events.push(change({ Text: message.text }))
      if (message.type === 'revoke') events.push(change({}))
      if (message.type === 'poll_vote') events.push(change({ Votes: message.votes ?? [] }))
      await this.ledger.applyToTarget(userId, message, by, events)
      return
    }
    // The record of a received message is written in the message's own transaction.
    const record = (tx: Kysely<DB>) =>
      this.monitoring.recordWithin(
        tx,
        userId,
        'message.received',
        stored.id,
        {
          id: stored.id,
          chat: stored.chatPn || stored.chat,
          chatLid: stored.chatLid,
          sender: stored.senderPn || stored.senderLid,
          senderLid: stored.senderLid,
          type: stored.type,
          pushName: stored.pushName,
        },
        'delivered',
      )
    const fresh = await this.ledger.store(
      userId,
      stored,
      message.raw,
      events,
      false,
      stored.fromMe ? undefined : record,
    )
    if (fresh && !stored.fromMe) this.monitoring.notify()
  }

  /**
   * Records a contact's names, unless they add nothing to what this process last wrote (most
   * messages repeat their sender's push name). Empty fields keep what is known, as in the store.
   */
  private async saveContact(userId: string, row: ContactFields, now: string) {
    const key = `${userId}|${row.jid}`
    const known = this.contactsWritten.get(key)
    const merged = { ...row }
    for (const field of Object.keys(row) as (keyof ContactFields)[])
      if (!row[field] && known?.[field]) merged[field] = known[field]
    if (known && (Object.keys(row) as (keyof ContactFields)[]).every((f) => merged[f] === known[f])) return
    await this.repo.saveContact(userId, row, now)
    this.contactsWritten.delete(key)
    this.contactsWritten.set(key, merged)
    if (this.contactsWritten.size > 20_000)
      this.contactsWritten.delete(this.contactsWritten.keys().next().value as string)
  }

  /**
   * A receipt updates the status of the messages it names and is reported once. A receipt can
   * overtake the write of the send it acknowledges (WhatsApp answers within milliseconds): ids
   * not stored yet are tried again, up to three times over a few seconds.
   */
  private async receipt(userId: string, account: Account, receipt: Receipt, attempt = 0) {
    const chat = await this.identity.phoneOf(userId, receipt.chat)
    const by = await this.identity.phoneOf(userId, receipt.by)
    const events: NewEvent[] = []
    const missing: string[] = []
    await this.db.transaction().execute(async (tx) => {
      for (const id of receipt.ids) {
        const row = await this.repo.find(userId, id, tx)
        if (!row) {
          missing.push(id)
          continue
        }
        if (receipt.status !== 'failed' && rank(receipt.status) <= rank(row.status)) continue
        await this.repo.update(
          userId,
          id,
          { status: receipt.status, error_code: receipt.code ?? null, updated_at: new Date().toISOString() },
          tx,
        )
        events.push(
          messageUpdateEvent(userId, account, {
            kind: 'status',
            targetId: id,
            chat,
            by,
            sourceId: receipt.status,
            data: { Status: receipt.status, ...(receipt.code ? { Code: receipt.code } : {}) },
          }),
        )
      }
      if (attempt === 0 && receipt.status !== 'sent')
        events.push(receiptEvent(userId, account, receipt, chat, by))
      await this.outbox.append(events, tx)
    })
    this.outbox.notify()
    if (missing.length > 0 && attempt < 3 && receipt.status !== 'sent')
      setTimeout(
        () =>
          this.enqueue(userId, 'receipts', () =>
            this.receipt(userId, account, { ...receipt, ids: missing }, attempt + 1),
          ),
        500 * 2 ** attempt,
      ).unref()
  }
}

const ORDER = ['received', 'sent', 'delivered', 'read', 'played']
const rank = (status: string) => ORDER.indexOf(status)

type ContactFields = ReturnType<typeof contactRow>

const contactRow = (c: ContactInfo) => ({
  jid: c.jid,
  lid: c.lid ?? '',
  push_name: c.pushName ?? '',
  full_name: c.fullName ?? '',
  first_name: c.firstName ?? '',
  business_name: c.businessName ?? '',
})
