import { type BinaryNode, decodeBinaryNode, encodeBinaryNode, proto } from 'baileys'
import type { WebSocket } from 'ws'
import type { Account, Device } from './accounts.js'
import { NoiseResponder } from './noise.js'

export interface ConnectionHandler {
  /** The handshake finished: a registration or a login payload from `clientStatic`. */
  onHello(conn: ChatConnection, clientStatic: Buffer, payload: proto.ClientPayload): void
  onNode(conn: ChatConnection, node: BinaryNode): void
  onClose(conn: ChatConnection): void
}

/** One client's WebSocket: intro and handshake, then length-prefixed encrypted binary nodes. */
export class ChatConnection {
  account: Account | undefined
  device: Device | undefined
  /** Set while the client is in registration mode (no credentials yet). */
  registration: { clientStatic: Buffer; payload: proto.ClientPayload } | undefined
  private buffer = Buffer.alloc(0)
  private intro = Buffer.alloc(0)
  private stage: 'intro' | 'hello' | 'finish' | 'transport' = 'intro'
  private readonly noise: NoiseResponder
  private closed = false
  /** Set by a fault: frames are read but nothing is answered. */
  silent = false

  constructor(
    private readonly ws: WebSocket,
    noise: { staticKey: import('baileys').KeyPair; certChain: Uint8Array },
    private readonly handler: ConnectionHandler,
  ) {
    this.noise = new NoiseResponder(noise.staticKey, noise.certChain)
    ws.on('message', (data: Buffer) => {
      this.receive(data).catch(() => this.close())
    })
    ws.on('close', () => {
      this.closed = true
      this.handler.onClose(this)
    })
    ws.on('error', () => this.close())
  }

  get isOpen(): boolean {
    return !this.closed
  }

  send(node: BinaryNode): void {
    if (this.closed || this.silent) return
    this.writeFrame(this.noise.seal(encodeBinaryNode(node)))
  }

  /** `<stream:error code=…/>` then close: what the client turns into a disconnect reason. */
  streamError(code: number, child?: BinaryNode): void {
    this.send({ tag: 'stream:error', attrs: { code: String(code) }, content: child ? [child] : undefined })
    setTimeout(() => this.close(), 50)
  }

  /** `<failure reason>` then close: a refused login (401 unknown device, 402 ban, 403, 405 outdated). */
  fail(reason: number): void {
    this.send({ tag: 'failure', attrs: { reason: String(reason), location: 'local' } })
    setTimeout(() => this.close(), 50)
  }

  /** Another login took this device's place: `<stream:error><conflict type=replaced>` (440). */
  replaced(): void {
    this.send({ tag: 'stream:error', attrs: {}, content: [{ tag: 'conflict', attrs: { type: 'replaced' } }] })
    setTimeout(() => this.close(), 50)
  }

  close(): void {
    if (!this.closed) this.ws.close()
    this.closed = true
  }

  /** Drop the TCP connection without a goodbye. */
  terminate(): void {
    this.ws.terminate()
    this.closed = true
  }

  private writeFrame(payload: Uint8Array) {
    const frame = Buffer.alloc(3 + payload.length)
    frame.writeUIntBE(payload.length, 0, 3)
    frame.set(payload, 3)
    this.ws.send(frame)
  }

  private async receive(data: Buffer) {
    this.buffer = Buffer.concat([this.buffer, data])
    if (this.stage === 'intro') {
      // `ED 00 01 <len:3> <routing info>` may precede the `WA 06 03` intro.
      let offset = 0
      if (this.buffer.subarray(0, 2).toString() === 'ED') offset = 7 + this.buffer.readUIntBE(4, 3)
      if (this.buffer.length < offset + 4) return
      this.intro = Buffer.from(this.buffer.subarray(offset, offset + 4))
      this.buffer = this.buffer.subarray(offset + 4)
      this.stage = 'hello'
    }
    while (this.buffer.length >= 3) {
      const size = this.buffer.readUIntBE(0, 3)
      if (this.buffer.length < 3 + size) return
      const frame = this.buffer.subarray(3, 3 + size)
      this.buffer = this.buffer.subarray(3 + size)
      await this.onFrame(frame)
    }
  }

  private async onFrame(frame: Buffer) {
    if (this.stage === 'hello') {
      const hello = proto.HandshakeMessage.decode(frame).clientHello
      if (!hello?.ephemeral) throw new Error('expected client hello')
      this.writeFrame(this.noise.serverHello(this.intro, hello.ephemeral))
      this.stage = 'finish'
      return
    }
    if (this.stage === 'finish') {
      const finish = proto.HandshakeMessage.decode(frame).clientFinish
      if (!finish) throw new Error('expected client finish')
      const { clientStatic, payload } = this.noise.clientFinish(finish)
      this.stage = 'transport'
      this.handler.onHello(this, clientStatic, payload)
      return
    }
    const node = await decodeBinaryNode(this.noise.open(frame))
    if (!this.silent) this.handler.onNode(this, node)
  }
}
