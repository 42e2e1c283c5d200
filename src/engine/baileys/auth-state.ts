import {
  type AuthenticationCreds,
  type AuthenticationState,
  BufferJSON,
  initAuthCreds,
  proto,
  type SignalDataTypeMap,
} from 'baileys'
import type { CredentialStore } from '../credentials.js'

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
  const state: AuthenticationState = {
    creds,
    keys: {
      get: async <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) => {
        const found = await store.readKeys(type, ids)
        const out: { [id: string]: SignalDataTypeMap[T] } = {}
        for (const [id, text] of Object.entries(found)) {
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
            changes.push({ type, id, value: value === null || value === undefined ? null : encode(value) })
          }
        }
        await store.writeKeys(changes)
      },
    },
  }
  return { state, saveCreds: () => store.writeCreds(encode(state.creds)) }
}
