/**
 * Where an engine keeps a session's credentials and keys. Values are the engine's own plaintext
 * serialisation; the implementation encrypts them at rest and applies each `writeKeys` atomically.
 */
export interface CredentialStore {
  readCreds(): Promise<string | undefined>
  writeCreds(json: string): Promise<void>
  readKeys(type: string, ids: string[]): Promise<Record<string, string>>
  /** All changes in one transaction; a null value deletes. Safe to replay. */
  writeKeys(changes: { type: string; id: string; value: string | null }[]): Promise<void>
  /** Forget everything (logout, unlinked). */
  purge(): Promise<void>
}
