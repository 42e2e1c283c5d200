import { AppError } from './errors.js'

const PHONE = /^\+?[\d\s().-]{7,22}$/
const JID = /^[\w.:-]+@(s\.whatsapp\.net|lid|g\.us|newsletter|broadcast)$/

/** Phone (digits, with `+`, spaces, dots or dashes) or JID → a JID; refuses anything else. */
export function parseRecipient(input: string): string {
  const text = input.trim()
  if (JID.test(text)) return text.replace(/:\d+@/, '@')
  if (PHONE.test(text)) {
    const digits = text.replace(/\D/g, '')
    if (digits.length >= 7 && digits.length <= 15) return `${digits}@s.whatsapp.net`
  }
  throw new AppError('VALIDATION', `invalid phone or JID: ${input}`)
}

/** A JID without its device part. */
export const bare = (jid: string) => jid.replace(/:\d+@/, '@')

/** A JID and its alternate as a LID ↔ phone pair, when they are one of each. */
export function pair(jid: string, alt: string | undefined): { lid: string; pn: string } | undefined {
  if (!alt) return undefined
  if (jid.endsWith('@lid') && alt.endsWith('@s.whatsapp.net')) return { lid: jid, pn: alt }
  if (jid.endsWith('@s.whatsapp.net') && alt.endsWith('@lid')) return { lid: alt, pn: jid }
  return undefined
}
