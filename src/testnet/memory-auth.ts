import { type AuthenticationState, initAuthCreds, type SignalDataTypeMap, type SignalKeyStore } from 'baileys'

/** Baileys credentials and Signal keys kept in memory (virtual contacts and tests). */
export function memoryAuthState(): AuthenticationState {
  const store = new Map<string, unknown>()
  const keys: SignalKeyStore = {
    get: async <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) => {
      const found: { [id: string]: SignalDataTypeMap[T] } = {}
      for (const id of ids) {
        const value = store.get(`${type}:${id}`)
        if (value !== undefined) found[id] = value as SignalDataTypeMap[T]
      }
      return found
    },
    set: async (data) => {
      for (const [type, entries] of Object.entries(data)) {
        for (const [id, value] of Object.entries(entries ?? {})) {
          if (value === null || value === undefined) store.delete(`${type}:${id}`)
          else store.set(`${type}:${id}`, value)
        }
      }
    },
  }
  return { creds: initAuthCreds(), keys }
}
