import { type BinaryNode, jidNormalizedUser } from 'baileys'
import type { Socket } from './context.js'

/** A node's content as text ("" when it holds none). */
export const nodeText = (node: BinaryNode | undefined) =>
  node?.content instanceof Uint8Array ? Buffer.from(node.content).toString() : ''

/** A JID without device ("" for none). */
export const normJid = (jid: string | null | undefined) => (jid ? jidNormalizedUser(jid) : '')

/** The server's ack of a stanza we sent: its error code, undefined when accepted (or no ack came). */
export function serverAck(socket: Socket, id: string, timeoutMs: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const onAck = (node: BinaryNode) => {
      if (node.attrs.id !== id) return
      done(node.attrs.error ? Number(node.attrs.error) : undefined)
    }
    const timer = setTimeout(() => done(undefined), timeoutMs)
    const done = (error: number | undefined) => {
      clearTimeout(timer)
      socket.ws.off('CB:ack,class:message', onAck)
      resolve(error)
    }
    socket.ws.on('CB:ack,class:message', onAck)
  })
}
