import type { Generated, Insertable, Selectable, Updateable } from 'kysely'

/** One WhatsApp number (a wuzapi "user", a Mega-api "instance"). */
export interface UsersTable {
  serial: Generated<number>
  id: string
  name: string
  token_hash: string
  token_enc: string
  jid: string
  lid: string
  /** Mega-api's instance key, unique; null: the id serves. */
  instance_key: string | null
  /** Unix seconds; 0 = never. pg returns bigint as a string. */
  expiration: number | string
  history: number
  /** Plain JSON: webhook, events, skip flags, call settings, WhatsApp client settings. */
  settings: string
  /** Encrypted JSON: HMAC key, proxy, S3 and RabbitMQ configs. */
  secrets_enc: string
  /** Optimistic lock: bumped by every update. */
  version: number
  created_at: string
  updated_at: string
}

export type UserRow = Selectable<UsersTable>
export type NewUserRow = Insertable<UsersTable>
export type UserRowUpdate = Updateable<UsersTable>
