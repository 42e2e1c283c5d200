import { randomBytes } from 'node:crypto'
import {
  aesDecryptCTR,
  aesDecryptGCM,
  aesEncryptCTR,
  type BinaryNode,
  Curve,
  derivePairingCodeKey,
  getBinaryNodeChildBuffer,
  hkdf,
  type KeyPair,
} from 'baileys'
import type { Account } from './accounts.js'
import type { ChatConnection } from './connection.js'

/** A companion that asked to be linked by code, waiting for the phone to enter it. */
interface CodeRequest {
  conn: ChatConnection
  ref: string
  wrappedCompanionKey: Buffer
  /** Set once the phone entered the code. */
  phone?: { ephemeral: KeyPair; account: Account; companionKey: Buffer }
}

const normalise = (code: string) => code.replace(/[^0-9A-Za-z]/g, '').toUpperCase()

/**
 * Linking by pairing code, the phone's side: the companion's `companion_hello`, the phone
 * entering the code (`primary_hello`), and the companion's key bundle (`companion_finish`).
 */
export class CodePairing {
  private readonly byPhone = new Map<string, CodeRequest>()

  /** `companion_hello`: remember the request; returns the ref the server answers with. */
  hello(conn: ChatConnection, reg: BinaryNode): string {
    const phone = (reg.attrs.jid ?? '').split('@')[0]?.split(':')[0] ?? ''
    const wrapped = getBinaryNodeChildBuffer(reg, 'link_code_pairing_wrapped_companion_ephemeral_pub')
    const ref = randomBytes(16).toString('base64url')
    if (wrapped) this.byPhone.set(phone, { conn, ref, wrappedCompanionKey: Buffer.from(wrapped) })
    return ref
  }

  has(phone: string): boolean {
    return this.byPhone.get(phone)?.conn.isOpen ?? false
  }

  /** The phone enters `code`: unwrap the companion's key and send it the phone's (`primary_hello`). */
  async enter(account: Account, code: string, id: string): Promise<void> {
    const request = this.byPhone.get(account.phone)
    if (!request) throw new Error('no companion asked for a code')
    const digits = normalise(code)
    const companionKey = await unwrap(request.wrappedCompanionKey, digits)
    const ephemeral = Curve.generateKeyPair()
    request.phone = { ephemeral, account, companionKey }
    request.conn.send({
      tag: 'notification',
      attrs: {
        from: 's.whatsapp.net',
        type: 'link_code_companion_reg',
        id,
        t: String(Math.floor(Date.now() / 1000)),
      },
      content: [
        {
          tag: 'link_code_companion_reg',
          attrs: { stage: 'primary_hello' },
          content: [
            { tag: 'link_code_pairing_ref', attrs: {}, content: Buffer.from(request.ref) },
            { tag: 'primary_identity_pub', attrs: {}, content: account.identity.public },
            {
              tag: 'link_code_pairing_wrapped_primary_ephemeral_pub',
              attrs: {},
              content: await wrap(ephemeral.public, digits),
            },
          ],
        },
      ],
    })
  }

  /**
   * `companion_finish`: decrypt the companion's key bundle and derive the ADV secret it derived.
   * Returns what `pair-success` needs, and the connection to send it on.
   */
  finish(reg: BinaryNode): {
    conn: ChatConnection
    account: Account
    identityKey: Buffer
    advSecret: Buffer
  } {
    const ref = getBinaryNodeChildBuffer(reg, 'link_code_pairing_ref')
    const entry = [...this.byPhone.entries()].find(([, r]) => ref && Buffer.from(ref).toString() === r.ref)
    const request = entry?.[1]
    if (!entry || !request?.phone) throw new Error('unknown pairing ref')
    this.byPhone.delete(entry[0])
    const bundle = Buffer.from(getBinaryNodeChildBuffer(reg, 'link_code_pairing_wrapped_key_bundle') ?? [])
    const shared = Curve.sharedKey(request.phone.ephemeral.private, request.phone.companionKey)
    const key = hkdf(shared, 32, {
      salt: bundle.subarray(0, 32),
      info: 'link_code_pairing_key_bundle_encryption_key',
    })
    const plain = Buffer.from(
      aesDecryptGCM(bundle.subarray(44), key, bundle.subarray(32, 44), Buffer.alloc(0)),
    )
    const identityKey = plain.subarray(0, 32)
    const random = plain.subarray(64, 96)
    const identityShared = Curve.sharedKey(request.phone.account.identity.private, identityKey)
    const advSecret = Buffer.from(
      hkdf(Buffer.concat([shared, identityShared, random]), 32, { info: 'adv_secret' }),
    )
    return { conn: request.conn, account: request.phone.account, identityKey, advSecret }
  }
}

async function unwrap(wrapped: Buffer, code: string): Promise<Buffer> {
  const key = await derivePairingCodeKey(code, wrapped.subarray(0, 32))
  return Buffer.from(aesDecryptCTR(wrapped.subarray(48, 80), key, wrapped.subarray(32, 48)))
}

async function wrap(publicKey: Uint8Array, code: string): Promise<Buffer> {
  const salt = randomBytes(32)
  const iv = randomBytes(16)
  const key = await derivePairingCodeKey(code, salt)
  return Buffer.concat([salt, iv, aesEncryptCTR(publicKey, key, iv)])
}
