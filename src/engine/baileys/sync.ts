import { ALL_WA_PATCH_NAMES, proto } from 'baileys'
import type { ExtrasPort } from '../extras.js'
import type { AdapterContext } from './context.js'
import { normJid as norm } from './stanzas.js'

/** App-state re-sync and history on demand (a peer message to the phone) through Baileys. */
export function syncOf(ctx: AdapterContext): Pick<ExtrasPort, 'syncAppState' | 'requestHistory'> {
  const { socket } = ctx
  return {
    syncAppState: async (full) => {
      const results = []
      for (const name of ALL_WA_PATCH_NAMES) {
        const started = Date.now()
        try {
          if (full) await socket.authState.keys.set({ 'app-state-sync-version': { [name]: null } })
          await socket.resyncAppState([name], full)
          results.push({ name, success: true, durationMs: Date.now() - started })
        } catch (err) {
          results.push({
            name,
            success: false,
            error: (err as Error).message,
            durationMs: Date.now() - started,
          })
        }
      }
      return results
    },

    requestHistory: async (request, requestId) => {
      const pdo: proto.Message.IPeerDataOperationRequestMessage =
        request.kind === 'chat'
          ? {
              peerDataOperationRequestType: proto.Message.PeerDataOperationRequestType.HISTORY_SYNC_ON_DEMAND,
              historySyncOnDemandRequest: {
                chatJid: request.chat,
                oldestMsgId: request.oldest.id,
                oldestMsgFromMe: request.oldest.fromMe,
                oldestMsgTimestampMs: request.oldest.timestampMs,
                onDemandMsgCount: request.count,
              },
            }
          : {
              peerDataOperationRequestType:
                proto.Message.PeerDataOperationRequestType.FULL_HISTORY_SYNC_ON_DEMAND,
              fullHistorySyncOnDemandRequest: {
                requestMetadata: { requestId },
                historySyncConfig: {
                  fullSyncDaysLimit: request.daysLimit,
                  fullSyncSizeMbLimit: request.sizeMbLimit,
                  supportCallLogHistory: request.includeCalls,
                  supportGroupHistory: request.includeGroups,
                },
              },
            }
      // As Baileys' sendPeerDataOperationMessage, with our own id: the phone names it in its answer.
      await socket.relayMessage(
        norm(ctx.me().id),
        {
          protocolMessage: {
            type: proto.Message.ProtocolMessage.Type.PEER_DATA_OPERATION_REQUEST_MESSAGE,
            peerDataOperationRequestMessage: pdo,
          },
        },
        {
          messageId: requestId,
          additionalAttributes: { category: 'peer', push_priority: 'high_force' },
          additionalNodes: [{ tag: 'meta', attrs: { appdata: 'default' } }],
        },
      )
    },
  }
}
