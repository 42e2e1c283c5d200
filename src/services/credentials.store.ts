import type { Cipher } from '../crypto/cipher.js'
import type { CredentialStore } from '../engine/credentials.js'
import type { AuthRepository } from '../store/auth.repository.js'

/** A user's WhatsApp credentials and Signal keys in the database, encrypted with the app's key. */
export class SqlCredentialStore implements CredentialStore {
  /** Creds writes are serialised: each waits for the previous one, so the last state wins. */
  private credsWrite: Promise<void> = Promise.resolve()
  private keysWrite: Promise<void> = Promise.resolve()

  constructor(
    private readonly userId: string,
    private readonly repo: AuthRepository,
    private readonly cipher: Cipher,
  ) {}

  async readCreds(): Promise<string | undefined> {
    const sealed = await this.repo.readCreds(this.userId)
    return sealed === undefined ? undefined : this.cipher.decryptUncached(sealed)
  }

  writeCreds(json: string): Promise<void> {
    const sealed = this.cipher.encrypt(json)
    this.credsWrite = this.credsWrite
      .catch(() => undefined)
      .then(() => this.repo.writeCreds(this.userId, sealed, new Date().toISOString()))
    return this.credsWrite
  }

  async readKeys(type: string, ids: string[]): Promise<Record<string, string>> {
    // Reads see every write handed over before them (a pool may run them on other connections).
    await this.keysWrite.catch(() => undefined)
    const rows = await this.repo.readKeys(this.userId, type, ids)
    return Object.fromEntries(rows.map((r) => [r.key_id, this.cipher.decryptUncached(r.value_enc)]))
  }

  /** Key writes are applied one after another, in the order Baileys made them. */
  writeKeys(changes: { type: string; id: string; value: string | null }[]): Promise<void> {
    const sealed = changes.map((c) => ({
      ...c,
      value: c.value === null ? null : this.cipher.encrypt(c.value),
    }))
    this.keysWrite = this.keysWrite
      .catch(() => undefined)
      .then(() => this.repo.writeKeys(this.userId, sealed))
    return this.keysWrite
  }

  async purge(): Promise<void> {
    await this.credsWrite.catch(() => undefined)
    await this.repo.purge(this.userId)
  }
}
