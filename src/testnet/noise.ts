import { aesDecryptGCM, aesEncryptGCM, Curve, hkdf, type KeyPair, NOISE_MODE, proto, sha256 } from 'baileys'

const EMPTY = Buffer.alloc(0)

function nonce(counter: number): Buffer {
  const iv = Buffer.alloc(12)
  iv.writeUInt32BE(counter, 8)
  return iv
}

/**
 * The responder side of WhatsApp Web's `Noise_XX_25519_AESGCM_SHA256` handshake, then the
 * transport cipher. Mirrors the initiator in Baileys' `Utils/noise-handler.js` step for step.
 */
export class NoiseResponder {
  private hash: Buffer
  private salt: Buffer
  private key: Buffer
  private counter = 0
  private readonly ephemeral: KeyPair = Curve.generateKeyPair()
  private transport?: { enc: Buffer; dec: Buffer; read: number; write: number }

  constructor(
    private readonly staticKey: KeyPair,
    private readonly certChain: Uint8Array,
  ) {
    const mode = Buffer.from(NOISE_MODE)
    this.hash = mode.length === 32 ? mode : Buffer.from(sha256(mode))
    this.salt = this.hash
    this.key = this.hash
  }

  /** Client hello (after the `WA` intro) → the server hello to send back. */
  serverHello(intro: Buffer, clientEphemeral: Uint8Array): Uint8Array {
    this.mixHash(intro)
    this.mixHash(clientEphemeral)
    this.mixHash(this.ephemeral.public)
    this.mixKey(Curve.sharedKey(this.ephemeral.private, clientEphemeral))
    const encryptedStatic = this.encrypt(this.staticKey.public)
    this.mixKey(Curve.sharedKey(this.staticKey.private, clientEphemeral))
    const payload = this.encrypt(this.certChain)
    return proto.HandshakeMessage.encode({
      serverHello: { ephemeral: this.ephemeral.public, static: encryptedStatic, payload },
    }).finish()
  }

  /** Client finish → the client's static (noise) key and its ClientPayload; switches to transport. */
  clientFinish(finish: proto.HandshakeMessage.IClientFinish): {
    clientStatic: Buffer
    payload: proto.ClientPayload
  } {
    const clientStatic = this.decrypt(Buffer.from(finish.static ?? EMPTY))
    this.mixKey(Curve.sharedKey(this.ephemeral.private, clientStatic))
    const payload = proto.ClientPayload.decode(this.decrypt(Buffer.from(finish.payload ?? EMPTY)))
    const out = Buffer.from(hkdf(EMPTY, 64, { salt: this.salt, info: '' }))
    // The client writes with the first half and reads with the second.
    this.transport = { enc: out.subarray(32), dec: out.subarray(0, 32), read: 0, write: 0 }
    return { clientStatic, payload }
  }

  seal(plain: Uint8Array): Buffer {
    if (!this.transport) throw new Error('noise transport not ready')
    return Buffer.from(aesEncryptGCM(plain, this.transport.enc, nonce(this.transport.write++), EMPTY))
  }

  open(cipher: Uint8Array): Buffer {
    if (!this.transport) throw new Error('noise transport not ready')
    return Buffer.from(aesDecryptGCM(cipher, this.transport.dec, nonce(this.transport.read++), EMPTY))
  }

  private mixHash(data: Uint8Array) {
    this.hash = Buffer.from(sha256(Buffer.concat([this.hash, data])))
  }

  private mixKey(data: Uint8Array) {
    const out = Buffer.from(hkdf(Buffer.from(data), 64, { salt: this.salt, info: '' }))
    this.salt = out.subarray(0, 32)
    this.key = out.subarray(32)
    this.counter = 0
  }

  private encrypt(plain: Uint8Array): Buffer {
    const result = Buffer.from(aesEncryptGCM(plain, this.key, nonce(this.counter++), this.hash))
    this.mixHash(result)
    return result
  }

  private decrypt(cipher: Buffer): Buffer {
    const result = Buffer.from(aesDecryptGCM(cipher, this.key, nonce(this.counter++), this.hash))
    this.mixHash(cipher)
    return result
  }
}

/** A certificate chain root → intermediate → leaf (the server's static key), as WhatsApp sends. */
export function makeCertChain(root: KeyPair, serverStatic: KeyPair): Uint8Array {
  const intermediate = Curve.generateKeyPair()
  const details = (serial: number, key: Uint8Array) =>
    proto.CertChain.NoiseCertificate.Details.encode({
      serial,
      issuerSerial: 0,
      key,
      notBefore: 0,
      notAfter: 4_102_444_800,
    }).finish()
  const intermediateDetails = details(1, intermediate.public)
  const leafDetails = details(2, serverStatic.public)
  return proto.CertChain.encode({
    intermediate: { details: intermediateDetails, signature: Curve.sign(root.private, intermediateDetails) },
    leaf: { details: leafDetails, signature: Curve.sign(intermediate.private, leafDetails) },
  }).finish()
}
