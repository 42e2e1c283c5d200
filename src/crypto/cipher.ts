import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto'

const VERSION = 'v1'
const IV_BYTES = 12
const TAG_BYTES = 16

export class DecryptError extends Error {
  constructor() {
    super('cannot decrypt: wrong encryption key or damaged data')
    this.name = 'DecryptError'
  }
}

/**
 * AES-256-GCM for secrets at rest. Output is `v1.<base64url(iv | tag | ciphertext)>`; the
 * authentication tag makes a wrong key fail loudly instead of returning garbage.
 */
export class Cipher {
  /** Plaintexts by sealed text: a sealed value never changes meaning, so no invalidation is needed. */
  private readonly opened = new Map<string, string>()

  constructor(
    private readonly key: Buffer,
    private readonly cacheSize = 10_000,
  ) {
    if (key.length !== 32) throw new Error('AES-256 needs a 32-byte key')
  }

  encrypt(plain: string | Buffer): string {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    const body = Buffer.concat([cipher.update(plain), cipher.final()])
    return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`
  }

  decryptBuffer(sealed: string): Buffer {
    const [version, data] = sealed.split('.')
    if (version !== VERSION || data === undefined) throw new DecryptError()
    const raw = Buffer.from(data, 'base64url')
    if (raw.length < IV_BYTES + TAG_BYTES) throw new DecryptError()
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES))
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()])
    } catch {
      throw new DecryptError()
    }
  }

  /** Decrypts text without remembering it (values read once, such as Signal keys). */
  decryptUncached(sealed: string): string {
    return this.decryptBuffer(sealed).toString('utf8')
  }

  /** Decrypts text, remembering recent results (secrets are read on every authenticated request). */
  decrypt(sealed: string): string {
    let plain = this.opened.get(sealed)
    if (plain === undefined) {
      plain = this.decryptBuffer(sealed).toString('utf8')
      if (this.opened.size >= this.cacheSize) this.opened.delete(this.opened.keys().next().value as string)
      this.opened.set(sealed, plain)
    }
    return plain
  }

  encryptJson(value: unknown): string {
    return this.encrypt(JSON.stringify(value))
  }

  decryptJson<T>(sealed: string): T {
    return JSON.parse(this.decrypt(sealed)) as T
  }
}

/** SHA-256 hex of a token: what the database indexes, so a look-up never needs the token itself. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Constant-time equality of two strings of any length (compares their hashes). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest())
}
