import type { SessionDeps } from './deps.js'
import { validation } from './errors.js'
import { parseRecipient } from './recipient.js'
import { appState } from './refusals.js'

/** A label to create (no id), edit, or delete. */
export interface LabelInput {
  id?: string | undefined
  name?: string | undefined
  color?: number | undefined
  delete?: boolean | undefined
}

/** Labels on chats and messages (app-state patches every device of the account applies). */
export class LabelsService {
  constructor(private readonly deps: SessionDeps) {}

  async manageLabel(userId: string, input: LabelInput) {
    const connection = this.deps.sessions.connection(userId)
    const deleting = input.delete === true
    if (deleting && !input.id) throw validation('label_id is required to delete a label')
    if (!deleting && !input.name?.trim()) throw validation('label_name is required')
    if (!deleting && input.color === undefined) throw validation('label_color is required')
    const id = input.id?.trim() || `label_${Math.floor(Date.now() / 1000)}`
    const label = { id, name: input.name ?? '', color: input.color ?? 0, deleted: deleting }
    await appState(() => connection.editLabel(label))
    return { ...label, created: !input.id && !deleting }
  }

  async labelChat(userId: string, chat: string, labelId: string, apply: boolean): Promise<string> {
    const connection = this.deps.sessions.connection(userId)
    const jid = parseRecipient(chat)
    if (!labelId.trim()) throw validation('label_id is required')
    await appState(() => connection.labelChat(jid, labelId, apply))
    return jid
  }

  async labelMessage(userId: string, chat: string, messageId: string, labelId: string, apply: boolean) {
    const connection = this.deps.sessions.connection(userId)
    const jid = parseRecipient(chat)
    if (!labelId.trim()) throw validation('label_id is required')
    if (!messageId.trim()) throw validation('message_id is required')
    await appState(() => connection.labelMessage(jid, messageId, labelId, apply))
    return jid
  }
}
