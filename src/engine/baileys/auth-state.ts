import {
  type AuthenticationCreds,
  type AuthenticationState,
  BufferJSON,
  initAuthCreds,
  proto,
  type SignalDataTypeMap,
} from 'baileys'
import type { CredentialStore } from '../credentials.js'

/** Keys remembered per session (Signal sessions, sender keys, device lists… of recent chats). */
const RECENT_KEYS = 500

const encode = (value: unknown) => JSON.stringify(value, BufferJSON.replacer)
const decode = (text: string): unknown => JSON.parse(text, BufferJSON.reviver)

/**
 * Baileys' auth state over a CredentialStore: creds loaded (or created) once, keys read and
 * written through the store (each `set` one atomic write). Call `saveCreds` on every
 * `creds.update`, after Baileys has applied it to `state.creds`.
 */
export async function storedAuthState(
  store: CredentialStore,
): Promise<{ state: AuthenticationState; saveCreds: () => Promise<void> }> {
  const saved = await store.readCreds()
  const creds = saved ? (decode(saved) as AuthenticationCreds) : initAuthCreds()
  // The latest value of recently used keys (null: known absent), updated on every set before the
  // write lands. Baileys runs key transactions concurrently when their lock keys differ (a send
  // and a decrypt touching one Signal session): reading from here keeps their window tiny, where
  // a database round trip made a lost session update likely.
  const recent = new Map<string, string | null>()
  const remember = (key: string, value: string | null) => {
    // One-time pre-keys are uploaded by the hundred and each used once: not worth keeping.
    if (key.startsWith('pre-key\u0000')) return
    recent.delete(key)
    recent.set(key, value)
    if (recent.size > RECENT_KEYS) recent.delete(recent.keys().next().value as string)
  }
  const state: AuthenticationState = {
    creds,
    keys: {
      get: async <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) => {
        const out: { [id: string]: SignalDataTypeMap[T] } = {}
        const texts: Record<string, string> = {}
        const missing: string[] = []
        for (const id of ids) {
          const hit = recent.get(`${type}\u0000${id}`)
          if (hit === undefined) missing.push(id)
          else if (hit !== null) texts[id] = hit
        }
        const found = missing.length > 0 ? await store.readKeys(type, missing) : {}
        for (const id of missing) {
          const key = `${type}\u0000${id}`
          // A set made while the database answered is newer than what the database said.
          const meanwhile = recent.get(key)
          const text = meanwhile !== undefined ? meanwhile : (found[id] ?? null)
          if (meanwhile === undefined) remember(key, text)
          if (text !== null) texts[id] = text
        }
        // Decoded afresh on every read: a caller mutating what it got cannot change what is kept.
        for (const [id, text] of Object.entries(texts)) {
          let value = decode(text)
          if (type === 'app-state-sync-key' && value) {
            value = proto.Message.AppStateSyncKeyData.fromObject(value as object)
          }
          out[id] = value as SignalDataTypeMap[T]
        }
        return out
      },
      set: async (data) => {
        const changes: { type: string; id: string; value: string | null }[] = []
        for (const [type, entries] of Object.entries(data)) {
          for (const [id, value] of Object.entries(entries ?? {})) {
            const text = value === null || value === undefined ? null : encode(value)
            remember(`${type}\u0000${id}`, text)
            changes.push({ type, id, value: text })
          }
        }
        await store.writeKeys(changes)
      },
    },
  }
  return { state, saveCreds: () => store.writeCreds(encode(state.creds)) }
}
