import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { type Config, ConfigError, parseKey } from './config.js'

export interface ResolvedSecrets {
  adminToken: string
  encryptionKey: Buffer
  /** Set only on the start that generated the admin token: the launcher prints it once. */
  generatedAdminToken?: string
}

/**
 * Makes the data dir and resolves the admin token and encryption key: from the configuration
 * when set, else from files in the data dir, else generated into them (mode 0600).
 */
export function resolveSecrets(config: Config): ResolvedSecrets {
  fs.mkdirSync(config.dataDir, { recursive: true })
  const tokenFile = config.adminToken
    ? { value: config.adminToken, created: false }
    : readOrCreate(path.join(config.dataDir, 'admin-token'), () => randomBytes(24).toString('base64url'))
  const adminToken = tokenFile.value
  const generatedAdminToken = tokenFile.created ? adminToken : undefined
  const keyText =
    config.encryptionKey ??
    readOrCreate(path.join(config.dataDir, 'encryption-key'), () => randomBytes(32).toString('hex')).value
  const encryptionKey = parseKey(keyText)
  if (!encryptionKey) {
    throw new ConfigError([`${path.join(config.dataDir, 'encryption-key')} does not hold a 32-byte key`])
  }
  return generatedAdminToken
    ? { adminToken, encryptionKey, generatedAdminToken }
    : { adminToken, encryptionKey }
}

function readOrCreate(file: string, make: () => string): { value: string; created: boolean } {
  try {
    return { value: fs.readFileSync(file, 'utf8').trim(), created: false }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const value = make()
  try {
    fs.writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' })
    return { value, created: true }
  } catch (err) {
    // Another process created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST')
      return { value: fs.readFileSync(file, 'utf8').trim(), created: false }
    throw err
  }
}
