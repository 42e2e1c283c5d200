import type { ExtrasPort } from '../extras.js'
import { EngineRefusal } from '../port.js'
import type { AdapterContext } from './context.js'

/** Labels through Baileys (app-state patches), and label changes reported as `AppState` events. */
export function labelsOf(ctx: AdapterContext): Pick<ExtrasPort, 'editLabel' | 'labelChat' | 'labelMessage'> {
  const { socket } = ctx

  // Label changes (ours, through Baileys' own-event emission, and the phone's) as whatsmeow's
  // `AppState` events: the patch's index and its sync action.
  socket.ev.on('labels.edit', (label) => {
    ctx.onEvent({
      type: 'notice',
      name: 'AppState',
      chat: '',
      data: {
        Index: ['label_edit', label.id],
        SyncActionValue: {
          timestamp: Date.now(),
          labelEditAction: { name: label.name, color: label.color, deleted: label.deleted === true },
        },
      },
    })
  })
  socket.ev.on('labels.association', ({ association, type }) => {
    const chat = association.chatId
    const messageId = 'messageId' in association ? association.messageId : undefined
    ctx.onEvent({
      type: 'notice',
      name: 'AppState',
      chat,
      data: {
        Index: messageId
          ? ['label_message', association.labelId, chat, messageId, '0', '0']
          : ['label_jid', association.labelId, chat],
        SyncActionValue: { timestamp: Date.now(), labelAssociationAction: { labeled: type === 'add' } },
      },
    })
  })

  return {
    editLabel: (label) =>
      appPatch(() =>
        socket.addLabel('', { id: label.id, name: label.name, color: label.color, deleted: label.deleted }),
      ),
    labelChat: (chat, labelId, apply) =>
      appPatch(() => (apply ? socket.addChatLabel(chat, labelId) : socket.removeChatLabel(chat, labelId))),
    labelMessage: (chat, messageId, labelId, apply) =>
      appPatch(() =>
        apply
          ? socket.addMessageLabel(chat, messageId, labelId)
          : socket.removeMessageLabel(chat, messageId, labelId),
      ),
  }
}

/** Runs an app-state patch: a missing app-state key becomes a 409 refusal. */
async function appPatch(run: () => Promise<void>) {
  try {
    await run()
  } catch (err) {
    if (/App state key/i.test((err as Error).message))
      throw new EngineRefusal(409, 'the phone has not shared its app-state key yet')
    throw err
  }
}
