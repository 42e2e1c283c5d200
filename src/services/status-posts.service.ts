import type { StatusContent } from '../engine/extras.js'
import type { SessionDeps } from './deps.js'
import { validation } from './errors.js'
import { userJid } from './people.js'
import { refused } from './refusals.js'

export type StatusRequest =
  | {
      kind: 'text'
      text: string
      backgroundColor?: string | undefined
      textColor?: string | undefined
      font?: number | undefined
    }
  | { kind: 'image' | 'video'; source: string; caption?: string | undefined }
  | { kind: 'audio'; source: string; ptt: boolean }

const ARGB = /^\d{1,10}$/

/** Status posts (stories): text on a colour, or an image, video or audio, to the account's contacts. */
export class StatusPostsService {
  constructor(private readonly deps: SessionDeps) {}

  /**
   * Posts a status to the account's contacts (everyone in the contact store or with a 1:1 chat),
   * or to `recipients` when given.
   */
  async postStatus(userId: string, request: StatusRequest, id?: string, recipients?: string[]) {
    const connection = this.deps.sessions.connection(userId)
    const audience = recipients?.length
      ? recipients.map((r) => userJid(r, 'recipients'))
      : await this.audience(userId)
    if (audience.length === 0)
      throw validation('no one to show the status to: no contacts or chats yet (give recipients)')
    const content = await this.statusContent(request)
    try {
      const posted = await connection.postStatus(content, audience, id)
      return { ...posted, recipients: audience.length }
    } catch (err) {
      throw refused(err)
    }
  }

  private async audience(userId: string): Promise<string[]> {
    const [contacts, chats] = await Promise.all([
      this.deps.chats.contacts(userId),
      this.deps.chats.chats(userId),
    ])
    const me = this.deps.sessions.account(userId).jid.replace(/:\d+@/, '@')
    const jids = [...contacts.map((c) => c.jid), ...chats.map((c) => c.jid)].filter(
      (j) => (j.endsWith('@s.whatsapp.net') || j.endsWith('@lid')) && j !== me,
    )
    return [...new Set(jids)]
  }

  private async statusContent(request: StatusRequest): Promise<StatusContent> {
    if (request.kind === 'text') {
      if (!request.text.trim()) throw validation('text is required')
      return {
        kind: 'text',
        text: request.text,
        backgroundArgb: argb(request.backgroundColor, 'background_color'),
        textArgb: argb(request.textColor, 'text_color'),
        font: request.font,
      }
    }
    const fetched = await this.deps.media.resolve(request.source, request.kind)
    if (request.kind === 'audio')
      return { kind: 'audio', data: fetched.data, mimetype: fetched.mimetype, ptt: request.ptt }
    return { kind: request.kind, data: fetched.data, mimetype: fetched.mimetype, caption: request.caption }
  }
}

function argb(value: string | undefined, field: string): number | undefined {
  if (value === undefined || value === '') return undefined
  const n = ARGB.test(value.trim()) ? Number(value.trim()) : Number.NaN
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
    throw validation(`${field} must be an ARGB colour as a decimal number (0 to 4294967295)`)
  return n
}
