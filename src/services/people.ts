import type { SessionDeps } from './deps.js'
import { validation } from './errors.js'
import { parseRecipient } from './recipient.js'

/** Someone asked about: what was given, and their phone JID and LID as far as known. */
export interface AccountRef {
  /** What was asked (as given). */
  query: string
  pn: string
  lid: string
}

/** A phone number, phone JID or LID → the person's phone JID and LID (as far as known). */
export async function personOf(deps: SessionDeps, userId: string, input: string): Promise<AccountRef> {
  const jid = parseRecipient(input)
  if (!jid.endsWith('@s.whatsapp.net') && !jid.endsWith('@lid'))
    throw validation(`not a phone number, user JID or LID: ${input}`)
  const { identity } = deps
  if (jid.endsWith('@lid'))
    return { query: input, pn: (await identity.phoneOfLid(userId, jid)) ?? '', lid: jid }
  return { query: input, pn: jid, lid: (await identity.lidOfPhone(userId, jid)) ?? '' }
}

/** A user's JID (phone JID or LID) from a phone number or JID; `field` names the input in errors. */
export function userJid(input: string, field: string): string {
  let jid: string
  try {
    jid = parseRecipient(input)
  } catch {
    throw validation(`${field}: invalid phone or JID: ${input}`)
  }
  if (!jid.endsWith('@s.whatsapp.net') && !jid.endsWith('@lid'))
    throw validation(`${field}: ${input} is not a user (phone number, user JID or LID)`)
  return jid
}

/** A device JID in a LID's form → the same device under the phone JID, when the phone is known. */
export function asPhoneDevice(device: string, pn: string): string {
  if (!device.endsWith('@lid') || !pn.endsWith('@s.whatsapp.net')) return device
  const index = /:(\d+)@/.exec(device)?.[1]
  return `${pn.split('@')[0]}${index && index !== '0' ? `:${index}` : ''}@s.whatsapp.net`
}
