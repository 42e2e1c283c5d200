import type { ChatChange } from '../engine/port.js'
import { EngineRefusal } from '../engine/port.js'
import type { MessagesRepository } from '../store/messages.repository.js'
import { AppError } from './errors.js'
import type { IdentityService } from './identity.service.js'
import { rowToMessage, type StoredMessage } from './messages.model.js'
import { parseRecipient } from './recipient.js'
import type { SessionsService } from './sessions.service.js'

/** Chats, their settings (app-state patches on every device), their history, and contacts. */
export class ChatsService {
  constructor(
    private readonly repo: MessagesRepository,
    private readonly sessions: SessionsService,
    private readonly identity: IdentityService,
  ) {}

  /** Archives, pins, mutes or deletes a chat, or stars a message, on every device of the account. */
  async modifyChat(
    userId: string,
    chatInput: string,
    change:
      | { kind: 'archive'; archive: boolean }
      | { kind: 'pin'; pin: boolean }
      | { kind: 'mute'; until: number | null }
      | { kind: 'star'; id: string; star: boolean; fromMe?: boolean | undefined }
      | { kind: 'delete' }
      | {
          kind: 'deleteForMe'
          id: string
          fromMe?: boolean | undefined
          participant?: string | undefined
          timestamp?: number | undefined
        },
  ): Promise<string> {
    const connection = this.sessions.connection(userId)
    const chat = parseRecipient(chatInput)
    const lid = chat.endsWith('@s.whatsapp.net') ? await this.identity.lidOfPhone(userId, chat) : undefined
    const [newest] = await this.repo.history(userId, lid ? [chat, lid] : [chat], 1)
    const last = newest
      ? {
          id: newest.id,
          fromMe: newest.from_me === 1,
          participant:
            chat.endsWith('@g.us') && newest.from_me !== 1
              ? newest.sender_lid || newest.sender_pn
              : undefined,
          timestamp: Number(newest.timestamp),
        }
      : undefined
    let engineChange: ChatChange
    if (change.kind === 'star') {
      const row = await this.repo.find(userId, change.id)
      engineChange = {
        kind: 'star',
        id: change.id,
        star: change.star,
        fromMe: change.fromMe ?? row?.from_me === 1,
      }
    } else if (change.kind === 'deleteForMe') {
      // What the store knows of the message wins over what the caller says.
      const row = await this.repo.find(userId, change.id)
      const timestamp = row ? Number(row.timestamp) : (change.timestamp ?? 0)
      if (!timestamp)
        throw new AppError('VALIDATION', 'messageTimestamp is required for a message Zapwire has not stored')
      const fromMe = row ? row.from_me === 1 : (change.fromMe ?? false)
      const participant =
        chat.endsWith('@g.us') && !fromMe
          ? (row ? row.sender_lid || row.sender_pn : change.participant) || undefined
          : undefined
      engineChange = { kind: 'deleteForMe', message: { id: change.id, fromMe, participant, timestamp } }
    } else if (change.kind === 'archive' || change.kind === 'delete') {
      engineChange = { ...change, last }
    } else {
      engineChange = change
    }
    try {
      await connection.modifyChat(chat, engineChange)
    } catch (err) {
      if (err instanceof EngineRefusal) throw new AppError('APP_STATE_NOT_READY', err.message)
      throw err
    }
    if (change.kind === 'archive') await this.repo.setChat(userId, chat, { archived: change.archive ? 1 : 0 })
    if (change.kind === 'pin') await this.repo.setChat(userId, chat, { pinned: change.pin ? 1 : 0 })
    if (change.kind === 'mute')
      await this.repo.setChat(userId, chat, {
        muted_until: change.until === null ? 0 : change.until === -1 ? -1 : Math.floor(change.until / 1000),
      })
    return chat
  }

  /** A chat's messages, newest first; `before` is the id of the oldest message already seen. */
  async history(
    user: { id: string; history: number },
    chat: string,
    limit: number,
    before?: string,
  ): Promise<StoredMessage[]> {
    if (user.history <= 0)
      throw new AppError('HISTORY_DISABLED', 'message history is disabled for this user (set its history)')
    const userId = user.id
    const jid = parseRecipient(chat)
    const chats = [jid]
    if (jid.endsWith('@s.whatsapp.net')) {
      const lid = await this.identity.lidOfPhone(userId, jid)
      if (lid) chats.push(lid)
    } else if (jid.endsWith('@lid')) {
      const pn = await this.identity.phoneOfLid(userId, jid)
      if (pn) chats.push(pn)
    }
    let cursor: { timestamp: number; createdAt: string } | undefined
    if (before) {
      const row = await this.repo.find(userId, before)
      if (!row) throw new AppError('MESSAGE_NOT_FOUND', `no message ${before}`)
      cursor = { timestamp: Number(row.timestamp), createdAt: row.created_at }
    }
    return (await this.repo.history(userId, chats, limit, cursor)).map(rowToMessage)
  }

  /**
   * Everything known of one person, given a phone number, JID or LID: on WhatsApp or not, phone
   * and LID, names from the contact store, about text, picture, devices, business profile.
   */
  async contactInfo(userId: string, input: string) {
    const connection = this.sessions.connection(userId)
    const inputType = input.endsWith('@lid') ? 'lid' : input.includes('@') ? 'jid' : 'phone'
    const given = parseRecipient(input)
    if (given.endsWith('@g.us') || given.endsWith('@newsletter'))
      throw new AppError('VALIDATION', 'phone must be a phone number, a user JID or a LID')
    let pn = given
    if (given.endsWith('@lid')) {
      const known = await this.identity.phoneOfLid(userId, given)
      if (!known)
        throw new AppError(
          'IDENTITY_UNKNOWN',
          'could not resolve LID to phone number. The LID mapping may not be cached locally',
        )
      pn = known
    }
    const phone = pn.split('@')[0]!
    const [check] = await connection.checkNumbers([phone])
    const lid = check?.lid ?? (await this.identity.lidOfPhone(userId, pn)) ?? ''
    if (check?.lid) await this.identity.learn(userId, [{ lid: check.lid, pn }])
    const onWhatsApp = Boolean(check?.exists)
    const info = onWhatsApp ? await connection.userInfo(lid || pn) : undefined
    const contact =
      (await this.repo.contact(userId, pn)) ?? (lid ? await this.repo.contact(userId, lid) : undefined)
    return {
      phone,
      jid: pn,
      lid,
      inputType: inputType as 'phone' | 'jid' | 'lid',
      onWhatsApp,
      names: {
        pushName: contact?.push_name ?? '',
        fullName: contact?.full_name ?? '',
        firstName: contact?.first_name ?? '',
        businessName: contact?.business_name ?? '',
      },
      about: info?.about,
      picture: info?.picture,
      devices: info?.devices ?? [],
      business: info?.business,
    }
  }

  /** Everyone this number has names for. */
  async contacts(userId: string) {
    return (await this.repo.contacts(userId)).map((c) => ({
      jid: c.jid,
      lid: c.lid,
      pushName: c.push_name,
      fullName: c.full_name,
      firstName: c.first_name,
      businessName: c.business_name,
    }))
  }

  /** The user's chats: pinned first, then the most recent. */
  async chats(userId: string) {
    return (await this.repo.chats(userId)).map((c) => ({
      jid: c.jid,
      lid: c.lid,
      name: c.name,
      lastMessageAt: Number(c.last_message_at),
      unread: c.unread,
      pinned: c.pinned === 1,
      archived: c.archived === 1,
      mutedUntil: Number(c.muted_until),
    }))
  }

  async find(userId: string, id: string): Promise<StoredMessage> {
    const row = await this.repo.find(userId, id)
    if (!row) throw new AppError('MESSAGE_NOT_FOUND', `no message ${id}`)
    return rowToMessage(row)
  }
}
