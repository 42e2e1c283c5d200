import type { WACallEvent } from 'baileys'
import type { ExtrasPort } from '../extras.js'
import type { AdapterContext } from './context.js'
import { normJid as norm } from './stanzas.js'

/** Baileys call statuses → the event names of the wuzapi family. */
const CALL_EVENTS: Partial<Record<WACallEvent['status'], string>> = {
  offer: 'CallOffer',
  accept: 'CallAccept',
  reject: 'CallTerminate',
  timeout: 'CallTerminate',
  terminate: 'CallTerminate',
  relaylatency: 'CallRelayLatency',
}

/** Calls through Baileys: rejecting one, and reporting each call event. */
export function callsOf(ctx: AdapterContext): Pick<ExtrasPort, 'rejectCall'> {
  const { socket } = ctx
  socket.ev.on('call', (calls) => {
    for (const call of calls) {
      reportCall(ctx, call).catch((err) => ctx.logger.warn({ err }, 'reporting a call failed'))
    }
  })
  return { rejectCall: (callId, from) => socket.rejectCall(callId, from) }
}

/** A Baileys call event → CallOffer/CallAccept/CallTerminate/CallRelayLatency, ordered by the caller. */
async function reportCall(ctx: AdapterContext, call: WACallEvent) {
  const name = CALL_EVENTS[call.status]
  if (!name) return
  const mapping = ctx.socket.signalRepository.lidMapping
  const from = norm(call.from)
  const chatJid = norm(call.chatId)
  const pn =
    norm(call.callerPn) ||
    (from.endsWith('@s.whatsapp.net') ? from : norm(await mapping.getPNForLID(from).catch(() => null)))
  const lid = from.endsWith('@lid') ? from : norm(await mapping.getLIDForPN(from).catch(() => null))
  ctx.onEvent({
    type: 'notice',
    name,
    chat: pn || from,
    data: {
      CallID: call.id,
      From: chatJid,
      CallCreator: call.from,
      CallerPN: pn,
      CallerLID: lid,
      Timestamp: call.date.toISOString(),
      GroupJID: call.groupJid ?? '',
      IsVideo: Boolean(call.isVideo),
      IsGroup: Boolean(call.isGroup),
      Offline: call.offline,
      ...(name === 'CallTerminate' ? { Reason: call.status === 'terminate' ? '' : call.status } : {}),
      ...(call.latencyMs !== undefined ? { LatencyMs: call.latencyMs } : {}),
    },
  })
}
