import type { Insertable, Selectable, Updateable } from 'kysely'

export interface MessagesTable {
  user_id: string
  id: string
  /** The chat as WhatsApp addressed it (phone JID preferred when known). */
  chat: string
  chat_pn: string
  chat_lid: string
  sender_pn: string
  sender_lid: string
  from_me: number
  from_api: number
  push_name: string
  type: string
  text: string
  /** JSON: mimetype, fileName, fileLength, sha256… and what downloading it needs. */
  media: string | null
  quoted_id: string
  /** Unix seconds (pg returns bigint as text). */
  timestamp: number | string
  status: string
  error_code: number | null
  edited_at: number | string | null
  revoked_at: number | string | null
  /** JSON: sender → emoji. */
  reactions: string
  /** JSON: voter → selected option names. */
  votes: string
  /** JSON: the message as the engine renders it (WhatsApp's proto as JSON). */
  content: string
  /** The engine's own serialisation, for retries (getMessage). */
  raw: string | null
  created_at: string
  updated_at: string
}

export interface IdentitiesTable {
  user_id: string
  lid: string
  pn: string
  updated_at: string
}

export type MessageRow = Selectable<MessagesTable>
export type NewMessageRow = Insertable<MessagesTable>
export type MessageRowUpdate = Updateable<MessagesTable>

export interface ChatsTable {
  user_id: string
  /** The chat's phone JID (or group JID; a LID when no phone is known). */
  jid: string
  lid: string
  name: string
  last_message_at: number | string
  unread: number
  pinned: number
  archived: number
  /** Unix seconds; 0 = not muted, -1 = forever. */
  muted_until: number | string
  updated_at: string
}

export type ChatRow = Selectable<ChatsTable>

export interface ContactsTable {
  user_id: string
  /** Phone JID when known, else the LID. */
  jid: string
  lid: string
  push_name: string
  full_name: string
  first_name: string
  business_name: string
  updated_at: string
}

export type ContactRow = Selectable<ContactsTable>
