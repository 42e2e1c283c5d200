import { validation } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import type { ContentRequest, SendRequest } from '../../services/messages.service.js'
import { ok } from './envelope.js'
import { megaapiError } from './errors.js'
import { forwardable, type MediaType, mediaContent, nameInUrl, recipients } from './send.mapper.js'
import { sentView } from './send.view.js'

type Deps = Pick<Services, 'messages' | 'chats' | 'sessions' | 'media'>

/**
 * The sends that are more than one service call: one message answered as Mega-api does, the
 * ToMany fan-outs (every recipient checked before anything is sent) and forwarding.
 */
export function sendFlows({ messages, chats, sessions, media }: Deps) {
  /** Sends one message (a phone recipient is checked first: 403 when not on WhatsApp). */
  const one = async (userId: string, request: SendRequest, fileName?: string) => {
    const result = await messages.send(userId, { numberCheck: true, ...request })
    const stored = await chats.find(userId, result.id).catch(() => undefined)
    return sentView(result, stored, fileName)
  }

  /** The same message to each recipient in turn; a failure is counted and the loop goes on. */
  const toMany = async (userId: string, to: string[], content: ContentRequest, fileName?: string) => {
    const checked = recipients(to)
    sessions.connection(userId)
    const data: Awaited<ReturnType<typeof one>>[] = []
    const failures: { to: string; status: number; message: string }[] = []
    for (const r of checked) {
      try {
        data.push(await one(userId, { to: r, content }, fileName))
      } catch (err) {
        const { status, body } = megaapiError(err, '')
        failures.push({ to: r, status, message: body.detail ?? body.message })
      }
    }
    const jidFailed = failures.map((f) => f.to)
    return ok('Messages sent', { sent: data.length, failed: failures.length, jidFailed, data, failures })
  }

  /** mediaUrlToMany: the file is fetched and checked once, before anything is sent. */
  const mediaToMany = async (
    userId: string,
    d: { to: string[]; url: string; type: MediaType; fileName?: string | undefined } & {
      caption?: string | undefined
      mimeType?: string | undefined
    },
  ) => {
    recipients(d.to)
    sessions.connection(userId)
    const file = await media.resolve(d.url, d.type === 'ptt' ? 'audio' : d.type, d.mimeType)
    const fileName = d.fileName?.trim() || nameInUrl(d.url) || undefined
    const source = file.data.toString('base64')
    const content = mediaContent({ ...d, source, fileName, mimeType: d.mimeType ?? file.mimetype })
    return toMany(userId, d.to, content, fileName)
  }

  /**
   * What forwarding sends: the given message{} (or the stored message key{} names), media
   * downloaded from WhatsApp (asking the sender's phone again when the file has gone).
   */
  const forwardContent = async (
    userId: string,
    key: { id?: string | undefined; remoteJid?: string | undefined },
    given: Record<string, unknown>,
  ): Promise<ContentRequest> => {
    let message = given
    if (Object.keys(message).length === 0) {
      if (!key.id) throw validation('give the message{} to forward (or the key{} of a stored message)')
      const stored = await chats.find(userId, key.id).catch(() => undefined)
      if (!stored) throw validation(`message is empty and no message ${key.id} is stored`)
      message = stored.content
    }
    const f = forwardable(message)
    if (!('media' in f)) return f.content
    const retry = key.id && key.remoteJid ? { id: key.id, chat: key.remoteJid } : undefined
    const data = await messages.download(userId, f.media.kind, f.media, retry)
    return f.content(data.toString('base64'))
  }

  return { one, toMany, mediaToMany, forwardContent }
}
