/** The account itself, its contacts, privacy settings and blocklist: what the services need from the engine. */

/** A profile picture as WhatsApp describes it. */
export interface ProfilePicture {
  url: string
  id: string
  /** `preview` (thumbnail) or `image` (full size). */
  type: string
  directPath: string
}

/**
 * WhatsApp's privacy categories (`last`, `online`, `profile`, `status`, `readreceipts`,
 * `groupadd`, `calladd`, `messages`) and their values (`all`, `contacts`, `contact_blacklist`,
 * `none`, `match_last_seen`, `known`).
 */
export type PrivacySettings = Record<string, string>

/** Ways to see a picture one could not see otherwise (whatsmeow's GetProfilePictureParams). */
export interface PictureVia {
  /** A group shared with the user. */
  commonGroup?: string | undefined
  /** An invite code of the group whose picture is asked (not joined yet). */
  inviteCode?: string | undefined
  /** A Meta AI bot's persona. */
  personaId?: string | undefined
}

export interface AccountPort {
  /** The account's privacy settings, asked of WhatsApp again when `refresh`. */
  privacy(refresh: boolean): Promise<PrivacySettings>
  /** Changes one privacy category; resolves with the settings as WhatsApp has them afterwards. */
  setPrivacy(category: string, value: string): Promise<PrivacySettings>
  /** Default disappearing timer for new chats, in seconds (0: off). */
  setDefaultDisappearing(seconds: number): Promise<void>
  /** The accounts this one blocked, as WhatsApp names them (LID or phone JIDs, without device). */
  blocklist(): Promise<string[]>
  /** Blocks or unblocks a user (phone JID or LID). */
  setBlocked(jid: string, block: boolean): Promise<void>
  /** The account's own push name, when the phone has told it. */
  pushName(): string | undefined
  /** Changes the push name (an app-state patch; needs the phone's app-state key). */
  setPushName(name: string): Promise<void>
  /** Sets the account's own profile picture (JPEG); resolves with the picture's id. */
  setProfilePicture(jpeg: Buffer): Promise<string>
  removeProfilePicture(): Promise<void>
  /** A user's or group's profile picture; undefined when there is none. Rejects 401 when hidden. */
  profilePicture(jid: string, preview: boolean, via?: PictureVia): Promise<ProfilePicture | undefined>
  /** The "about" text of a user (or the account itself), when visible. */
  about(jid: string): Promise<{ text: string; setAt: number | undefined } | undefined>
  /** Global presence; refuses (409) while the push name is unknown, as WhatsApp needs it. */
  setPresence(state: 'available' | 'unavailable'): Promise<void>
  /** Asks WhatsApp for a user's presence updates (they arrive as presence events). */
  subscribePresence(jid: string): Promise<void>
  /** Saves (or renames) a contact in the address book (an app-state patch). */
  saveContact(jid: string, fullName: string): Promise<void>
  /** Removes a contact from the address book (an app-state patch). */
  removeContact(jid: string): Promise<void>
  /** The device JIDs (`user:device@server`, the phone included) of each user. */
  devicesOf(jids: string[]): Promise<Record<string, string[]>>
}
