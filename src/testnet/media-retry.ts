import { randomBytes } from 'node:crypto'
import { aesEncryptGCM, type BinaryNode, getBinaryNodeChild, hkdf, proto } from 'baileys'
import type { ChatConnection } from './connection.js'
import { now, type TestNetwork } from './network.js'

const MEDIA_FIELDS = [
  'imageMessage',
  'videoMessage',
  'audioMessage',
  'documentMessage',
  'stickerMessage',
] as const

/**
 * A device asks for a file it could not download (a `server-error` receipt): the file's sender
 * uploads it again and the server tells the device where, encrypted with the file's media key (a
 * `mediaretry` notification). The network answers from the phone's copy of the message, which
 * holds the media key, and re-serves the same encrypted file under a new path.
 */
export function answerMediaRetry(net: TestNetwork, conn: ChatConnection, receipt: BinaryNode): void {
  const account = conn.account!
  const id = receipt.attrs.id ?? ''
  const rmr = getBinaryNodeChild(receipt, 'rmr')
  const copy = account.phoneCopies.get(id)?.message
  const media = copy ? MEDIA_FIELDS.map((f) => copy[f]).find((m) => m?.mediaKey && m.directPath) : undefined
  const moved = media?.directPath ? net.media?.reupload(media.directPath) : undefined
  const content: BinaryNode[] = [{ tag: 'rmr', attrs: rmr?.attrs ?? {} }]
  if (!media?.mediaKey || !moved) {
    content.push({
      tag: 'error',
      attrs: { code: String(proto.MediaRetryNotification.ResultType.NOT_FOUND) },
    })
  } else {
    media.directPath = moved.directPath
    media.url = moved.url
    const notification = proto.MediaRetryNotification.encode({
      stanzaId: id,
      directPath: moved.directPath,
      result: proto.MediaRetryNotification.ResultType.SUCCESS,
    }).finish()
    const key = hkdf(media.mediaKey, 32, { info: 'WhatsApp Media Retry Notification' })
    const iv = randomBytes(12)
    content.push({
      tag: 'encrypt',
      attrs: {},
      content: [
        { tag: 'enc_p', attrs: {}, content: aesEncryptGCM(notification, key, iv, Buffer.from(id)) },
        { tag: 'enc_iv', attrs: {}, content: iv },
      ],
    })
  }
  conn.send({
    tag: 'notification',
    attrs: { from: 's.whatsapp.net', type: 'mediaretry', id, t: now() },
    content,
  })
}
