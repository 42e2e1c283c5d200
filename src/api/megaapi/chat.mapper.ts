import { validation } from '../../services/errors.js'
import type { SendResult } from '../../services/messages.service.js'
import { parseRecipient } from '../../services/recipient.js'

/** The chat of a request: `to` (or `messageData.to`) wins over `key.remoteJid`. */
export function chatOf(to: string | undefined, key: { remoteJid?: string | undefined }): string {
  const chat = to?.trim() || key.remoteJid?.trim()
  if (!chat) throw validation('to (or messageData.key.remoteJid) is required')
  return parseRecipient(chat)
}

/** Who wrote the message (a group's `key.participant`), checked as a JID; undefined when not given. */
export const senderOf = (key: { participant?: string | undefined }) =>
  key.participant?.trim() ? parseRecipient(key.participant) : undefined

type Presence =
  | { state: 'available' | 'unavailable'; chat?: undefined }
  | { state: 'composing' | 'recording' | 'paused'; chat: string }

/** presenceUpdateChat: online/last seen go to everyone; typing and recording to one chat (`to`). */
export function presenceOf(option: string, to: string | undefined): Presence {
  const chat = to?.trim() ? parseRecipient(to) : undefined
  if (option === 'available' || option === 'unavailable') return { state: option }
  if (!chat) throw validation(`to is required for ${option}`)
  return { state: option as 'composing' | 'recording' | 'paused', chat }
}

type Target = { id: string; chat: string; fromMe: boolean; participant?: string | undefined }

/** Only your own messages are revoked in a private chat; in a group, also others' (as an admin). */
export function revokable<T extends Target>(target: T): T {
  const group = target.chat.endsWith('@g.us')
  if (!target.fromMe && !group)
    throw validation('only your own messages can be deleted for everyone in a private chat')
  if (!target.fromMe && !target.participant)
    throw validation('key.participant (who wrote it) is required to delete someone else’s group message')
  return target
}

/** deleteMessage's answer: the revoke sent (`formMe` as documented) and the deleted message's key. */
export function deletedView(sent: SendResult, chat: string, target: Target) {
  return {
    remoteJid: sent.jid || chat,
    formMe: true,
    fromMe: true,
    id: sent.id,
    text: '',
    messageTimestamp: String(sent.timestamp),
    lid: sent.lid,
    key: { remoteJid: chat, fromMe: target.fromMe, id: target.id },
  }
}
