import { generateMessageIDV2, generateWAMessage } from 'baileys'
import type { ExtrasPort, StatusContent } from '../extras.js'
import { EngineRefusal } from '../port.js'
import type { AdapterContext } from './context.js'
import { serverAck } from './stanzas.js'

const STATUS = 'status@broadcast'
/** An ARGB integer as the 8-digit hex Baileys expects (it mishandles numbers). */
const hexArgb = (argb: number | undefined) =>
  argb === undefined ? undefined : (argb >>> 0).toString(16).padStart(8, '0')

/** Status posts (stories) through Baileys: relayed to `status@broadcast` for the recipients' devices. */
export function statusPostsOf(ctx: AdapterContext): Pick<ExtrasPort, 'postStatus'> {
  const { socket } = ctx
  return {
    postStatus: async (content, recipients, id) => {
      const messageId = id ?? generateMessageIDV2(socket.user?.id)
      const generated = await generateWAMessage(STATUS, statusContent(content), {
        userJid: socket.user!.id,
        messageId,
        upload: socket.waUploadToServer,
        mediaUploadTimeoutMs: 60_000,
        ...(content.kind === 'text'
          ? {
              ...(content.backgroundArgb !== undefined
                ? { backgroundColor: hexArgb(content.backgroundArgb) }
                : {}),
              ...(content.font !== undefined ? { font: content.font } : {}),
            }
          : {}),
      } as never)
      const message = generated.message!
      if (content.kind === 'text' && content.textArgb !== undefined && message.extendedTextMessage)
        message.extendedTextMessage.textArgb = content.textArgb >>> 0
      const ack = serverAck(socket, messageId, 15_000)
      await socket.relayMessage(STATUS, message, { messageId, statusJidList: recipients })
      const error = await ack
      if (error !== undefined) throw new EngineRefusal(error, `WhatsApp refused the status (${error})`)
      return { id: messageId, timestamp: Number(generated.messageTimestamp ?? Math.floor(Date.now() / 1000)) }
    },
  }
}

function statusContent(content: StatusContent) {
  switch (content.kind) {
    case 'text':
      return { text: content.text }
    case 'image':
      return { image: content.data, mimetype: content.mimetype, caption: content.caption }
    case 'video':
      return { video: content.data, mimetype: content.mimetype, caption: content.caption }
    case 'audio':
      return { audio: content.data, mimetype: content.mimetype, ptt: content.ptt }
  }
}
