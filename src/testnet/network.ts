import { randomBytes } from 'node:crypto'
import { EventEmitter } from 'node:events'
import type { Server } from 'node:http'
import { type BinaryNode, Curve, getBinaryNodeChild, type KeyPair, proto } from 'baileys'
import type { Logger } from 'pino'
import { WebSocketServer } from 'ws'
import { type Account, AccountBook, type Device, lidJid, pnJid } from './accounts.js'
import { ChatConnection, type ConnectionHandler } from './connection.js'
import { onExtraNode } from './extras.js'
import { applyFault, type Fault } from './faults.js'
import { Groups } from './groups.js'
import { answerIq } from './iq.js'
import { keysFromRegistration } from './keys.js'
import type { MediaServer } from './media.js'
import { Newsletters } from './newsletters.js'
import { makeCertChain } from './noise.js'
import { pairSuccess, parseQr } from './pairing.js'
import { CodePairing } from './pairing-code.js'
import { onPresence } from './presence.js'
import { relayMessage, relayReceipt } from './relay.js'

export const now = () => String(Math.floor(Date.now() / 1000))

/** A link the phone approved, waiting for the companion's `pair-device-sign`. */
interface PendingLink {
  conn: ChatConnection
  account: Account
  device: Device
}

/**
 * The WhatsApp side of the local network: accounts and their devices, the chat WebSocket, the
 * phone's approval of links, and routing of stanzas between devices. It never decrypts messages.
 */
export class TestNetwork extends EventEmitter implements ConnectionHandler {
  readonly accounts = new AccountBook()
  readonly root: KeyPair = Curve.generateKeyPair()
  private readonly noise: { staticKey: KeyPair; certChain: Uint8Array }
  /** Registration connections by the QR refs they were offered. */
  private readonly byRef = new Map<string, ChatConnection>()
  private readonly links = new Map<string, PendingLink>()
  private readonly codes = new CodePairing()
  private wss: WebSocketServer | undefined
  private messageCounter = 0
  readonly groups = new Groups(this)
  readonly newsletters = new Newsletters(this)
  /** The media server (uploads, downloads, profile pictures). */
  media: MediaServer | undefined

  constructor(readonly log: Logger) {
    super()
    const staticKey = Curve.generateKeyPair()
    this.noise = { staticKey, certChain: makeCertChain(this.root, staticKey) }
  }

  /** Serves the chat WebSocket on `path` of an HTTP server. */
  attach(server: Server, path = '/ws/chat'): void {
    this.wss = new WebSocketServer({ server, path })
    this.wss.on('connection', (ws) => new ChatConnection(ws, this.noise, this))
  }

  close(): void {
    for (const client of this.wss?.clients ?? []) client.terminate()
    this.wss?.close()
  }

  nextId(): string {
    return `${(++this.messageCounter).toString(16).toUpperCase()}.${randomBytes(2).toString('hex')}`
  }

  onHello(conn: ChatConnection, clientStatic: Buffer, payload: proto.ClientPayload): void {
    if (payload.devicePairingData) this.offerQr(conn, clientStatic, payload)
    else this.login(conn, clientStatic, payload)
  }

  /** A companion without credentials: offer it QR refs (`pair-device`) and wait for the phone. */
  private offerQr(conn: ChatConnection, clientStatic: Buffer, payload: proto.ClientPayload) {
    conn.registration = { clientStatic, payload }
    const refs = Array.from({ length: 6 }, () => randomBytes(12).toString('base64'))
    for (const ref of refs) this.byRef.set(ref, conn)
    conn.send({
      tag: 'iq',
      attrs: { from: 's.whatsapp.net', type: 'set', id: this.nextId(), xmlns: 'md' },
      content: [
        {
          tag: 'pair-device',
          attrs: {},
          content: refs.map((ref) => ({ tag: 'ref', attrs: {}, content: ref })),
        },
      ],
    })
  }

  /** A linked device logs in: `<success>`, then what queued while it was away, then the end marker. */
  private login(conn: ChatConnection, clientStatic: Buffer, payload: proto.ClientPayload) {
    const account = this.accounts.get(String(payload.username ?? ''))
    const device = account?.devices.get(payload.device ?? 0)
    if (!account || !device?.noiseKey.equals(clientStatic)) {
      this.log.info(
        { username: String(payload.username), device: payload.device },
        'login refused: unknown device',
      )
      conn.fail(401)
      return
    }
    if (device.faults.loginFailure) {
      conn.fail(device.faults.loginFailure)
      return
    }
    if (device.connection?.isOpen) device.connection.replaced()
    device.connection = conn
    conn.account = account
    conn.device = device
    conn.send({
      tag: 'success',
      attrs: { t: now(), lid: lidJid(account.lid, device.id), props: '1', abprops: '1', location: 'local' },
    })
    const queued = device.queue.splice(0)
    for (const node of queued) conn.send({ ...node, attrs: { ...node.attrs, offline: '1' } })
    conn.send({
      tag: 'ib',
      attrs: {},
      content: [{ tag: 'offline', attrs: { count: String(queued.length) } }],
    })
    this.log.debug({ jid: pnJid(account.phone, device.id), queued: queued.length }, 'device logged in')
  }

  onNode(conn: ChatConnection, node: BinaryNode): void {
    if (node.tag === 'iq') {
      const codeReg =
        node.attrs.xmlns === 'md' ? getBinaryNodeChild(node, 'link_code_companion_reg') : undefined
      if (node.attrs.type === 'result' && this.links.has(node.attrs.id ?? '')) this.completeLink(node)
      else if (codeReg) this.onCodeRegistration(conn, node, codeReg)
      else answerIq(this, conn, node)
    } else if (node.tag === 'message' && conn.device) {
      relayMessage(this, conn, node)
    } else if (node.tag === 'receipt' && conn.device) {
      relayReceipt(this, conn, node)
    } else if ((node.tag === 'presence' || node.tag === 'chatstate') && conn.account && conn.device) {
      onPresence(this, conn.account, conn.device, node)
    } else {
      onExtraNode(this, conn, node)
    }
    // Acks, presence, chat state and `ib` need no answer yet.
  }

  onClose(conn: ChatConnection): void {
    if (conn.device?.connection === conn) conn.device.connection = undefined
    for (const [ref, pending] of this.byRef) if (pending === conn) this.byRef.delete(ref)
  }

  /** The account's phone approves the companion showing `qr`; resolves with the new device's JID. */
  link(phone: string, qr: string): string {
    const account = this.accounts.get(phone)
    if (!account) throw new NetworkError(404, `no account ${phone}`)
    const data = parseQr(qr)
    if (!data) throw new NetworkError(400, 'not a WhatsApp Web QR string')
    const conn = this.byRef.get(data.ref)
    if (!conn?.isOpen || !conn.registration?.clientStatic.equals(data.noiseKey)) {
      throw new NetworkError(404, 'no companion is showing this QR')
    }
    return this.startLink(conn, account, data)
  }

  /** The phone's `pair-success` to a registration connection; the device exists once it signs. */
  private startLink(
    conn: ChatConnection,
    account: Account,
    companion: { identityKey: Buffer; advSecret: Buffer },
  ) {
    const registration = conn.registration
    if (!registration) throw new NetworkError(409, 'the companion is not registering')
    const props = registration.payload.devicePairingData?.deviceProps
    const device: Device = {
      id: account.nextDeviceId++,
      platform: props ? (proto.DeviceProps.decode(props).os ?? '') : '',
      keyIndex: account.nextKeyIndex++,
      noiseKey: registration.clientStatic,
      keys: keysFromRegistration(registration.payload.devicePairingData ?? {}),
      connection: undefined,
      faults: {},
      queue: [],
    }
    const id = this.nextId()
    this.links.set(id, { conn, account, device })
    conn.send(pairSuccess(account, device, companion, id))
    return pnJid(account.phone, device.id)
  }

  /**
   * The account's phone enters the pairing code a companion shows. The companion asks for its code
   * just before showing it, so wait up to `waitMs` for that request.
   */
  async linkByCode(phone: string, code: string, waitMs = 5_000): Promise<string> {
    const account = this.accounts.get(phone)
    if (!account) throw new NetworkError(404, `no account ${phone}`)
    for (const deadline = Date.now() + waitMs; !this.codes.has(phone); ) {
      if (Date.now() > deadline) throw new NetworkError(404, `no companion asked to link ${phone} by code`)
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    await this.codes.enter(account, code, this.nextId())
    return pnJid(phone, account.nextDeviceId)
  }

  private onCodeRegistration(conn: ChatConnection, iq: BinaryNode, reg: BinaryNode) {
    const result = (content?: BinaryNode[]) =>
      conn.send({
        tag: 'iq',
        attrs: { from: 's.whatsapp.net', type: 'result', id: iq.attrs.id ?? '' },
        content,
      })
    if (reg.attrs.stage === 'companion_hello') {
      const ref = this.codes.hello(conn, reg)
      result([
        {
          tag: 'link_code_companion_reg',
          attrs: {},
          content: [{ tag: 'link_code_pairing_ref', attrs: {}, content: Buffer.from(ref) }],
        },
      ])
      return
    }
    if (reg.attrs.stage === 'companion_finish') {
      const { account, identityKey, advSecret } = this.codes.finish(reg)
      result()
      this.startLink(conn, account, { identityKey, advSecret })
    }
  }

  /** The companion signed its identity: the device exists now, and it must reconnect (515). */
  private completeLink(result: BinaryNode) {
    const id = result.attrs.id ?? ''
    const link = this.links.get(id)
    if (!link) return
    this.links.delete(id)
    link.account.devices.set(link.device.id, link.device)
    this.log.info({ jid: pnJid(link.account.phone, link.device.id) }, 'device linked')
    link.conn.streamError(515)
  }

  /** Injects a fault into the device `jid` (`phone:device@s.whatsapp.net` or its LID form). */
  inject(jid: string, fault: Fault): void {
    const found = this.accounts.resolve(jid)
    const device = found?.account.devices.get(found.device)
    if (!found || !device) throw new NetworkError(404, `no device ${jid}`)
    applyFault(device, fault, () => found.account.devices.delete(device.id))
  }

  /** Sends to a device now (subject to its injected faults), or queues it for its next login. */
  deliver(device: Device, node: BinaryNode): void {
    const { faults } = device
    if (node.tag === 'message' && faults.lose && faults.lose-- > 0) return
    if (node.tag === 'message' && faults.corrupt && faults.corrupt-- > 0) node = corrupted(node)
    const copies = faults.duplicate && faults.duplicate-- > 0 ? 2 : 1
    const send = () => {
      for (let i = 0; i < copies; i++) {
        this.emit('deliver', { device, node })
        if (device.connection?.isOpen) device.connection.send(node)
        else device.queue.push(node)
      }
    }
    if (faults.delayMs) setTimeout(send, faults.delayMs)
    else send()
  }
}

/** A copy of a message stanza whose every ciphertext has its bytes inverted. */
function corrupted(node: BinaryNode): BinaryNode {
  const content = Array.isArray(node.content)
    ? node.content.map((child) =>
        child.tag === 'enc' && child.content instanceof Uint8Array
          ? { ...child, content: Buffer.from(child.content).map((b) => b ^ 0xff) }
          : child,
      )
    : node.content
  return { ...node, content }
}

export class NetworkError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}
