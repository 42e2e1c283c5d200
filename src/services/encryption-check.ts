import { type Cipher, DecryptError } from '../crypto/cipher.js'
import type { MetaRepository } from '../store/meta.repository.js'

const KEY = 'encryption_check'
const PLAIN = 'zapwire'

export class WrongEncryptionKeyError extends Error {
  constructor() {
    super(
      'The encryption key does not match the one this database was encrypted with. Set ZAPWIRE_ENCRYPTION_KEY ' +
        '(or restore <data dir>/encryption-key) to the original key; secrets cannot be read without it.',
    )
    this.name = 'WrongEncryptionKeyError'
  }
}

/** Records a value sealed with the key on first start; on later starts, refuses a different key. */
export async function verifyEncryptionKey(meta: MetaRepository, cipher: Cipher): Promise<void> {
  const stored = await meta.setIfAbsent(KEY, cipher.encrypt(PLAIN))
  try {
    if (cipher.decrypt(stored) === PLAIN) return
  } catch (err) {
    if (!(err instanceof DecryptError)) throw err
  }
  throw new WrongEncryptionKeyError()
}
