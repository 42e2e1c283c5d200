import type { Selectable } from 'kysely'

export interface AuthCredsTable {
  user_id: string
  creds_enc: string
  updated_at: string
}

export interface AuthKeysTable {
  user_id: string
  type: string
  key_id: string
  value_enc: string
}

/** Which process holds a user's live socket, until when (unix ms; pg returns bigint as text). */
export interface SessionLeasesTable {
  user_id: string
  owner: string
  expires_at: number | string
}

export type AuthKeyRow = Selectable<AuthKeysTable>
