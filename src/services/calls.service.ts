import type { ConnectionEvent } from '../engine/port.js'
import type { SessionDeps } from './deps.js'
import { validation } from './errors.js'
import { parseRecipient } from './recipient.js'

export type RejectType = 'busy' | 'declined' | 'unavailable'

/** Calls: rejecting one on request, and every incoming one for users whose `skipCalls` is on. */
export class CallsService {
  constructor(private readonly deps: SessionDeps) {
    deps.sessions.onNotice((userId, notice) => {
      if (notice.name === 'CallOffer')
        this.autoReject(userId, notice).catch((err) =>
          deps.log.warn({ err, userId }, 'rejecting an incoming call failed'),
        )
    })
  }

  /**
   * A call offer for a user whose `skipCalls` is on: rejected, then the caller gets the user's
   * `callRejectMessage` (none when it is empty).
   */
  private async autoReject(userId: string, notice: Extract<ConnectionEvent, { type: 'notice' }>) {
    const user = await this.deps.users.get(userId)
    if (!user.settings.skipCalls || notice.data.IsGroup) return
    const callId = String(notice.data.CallID ?? '')
    const creator = String(notice.data.CallCreator ?? '')
    if (!callId || !creator) return
    await this.deps.sessions.connection(userId).rejectCall(callId, creator)
    const message = user.settings.callRejectMessage.trim()
    if (message)
      await this.deps.messages.send(userId, {
        to: notice.chat || creator,
        content: { kind: 'text', text: message },
      })
    this.deps.log.info({ userId, callId }, 'incoming call rejected')
  }

  /** Rejects a call by id and optionally messages the caller. */
  async rejectCall(userId: string, callId: string, callFrom: string, message: string | undefined) {
    if (!callId.trim() || !callFrom.trim()) throw validation('call_id and call_from are required')
    let from: string
    try {
      from = parseRecipient(callFrom)
    } catch {
      throw validation('invalid call_from JID: invalid format')
    }
    if (!from.endsWith('@s.whatsapp.net') && !from.endsWith('@lid'))
      throw validation('invalid call_from JID: invalid format')
    const connection = this.deps.sessions.connection(userId)
    await connection.rejectCall(callId, from)
    const text = message?.trim()
    if (text) await this.deps.messages.send(userId, { to: from, content: { kind: 'text', text } })
    return { callFrom: from, messageSent: Boolean(text) }
  }
}
