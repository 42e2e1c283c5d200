import { type BinaryNode, generateProfilePicture, getBinaryNodeChild, jidNormalizedUser } from 'baileys'
import type { AccountPort, PrivacySettings } from '../account.js'
import { EngineRefusal } from '../port.js'
import type { AdapterContext } from './context.js'

/** WhatsApp's error code of a failed query (Boom `data` holds the `<error code>`), else its status. */
function codeOf(err: unknown): number {
  const e = err as { data?: unknown; output?: { statusCode?: number } }
  const data = typeof e.data === 'number' ? e.data : Number((e.data as { code?: unknown })?.code)
  return Number.isFinite(data) && data > 0 ? data : (e.output?.statusCode ?? 500)
}

/** Runs a query; WhatsApp's refusal becomes an EngineRefusal carrying its code. */
async function refused<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    if (/App state key/i.test(message))
      throw new EngineRefusal(409, 'the phone has not shared its app-state key yet')
    if (/timed out|Connection Closed|Connection was lost/i.test(message)) throw err
    throw new EngineRefusal(codeOf(err), `${what}: ${message}`)
  }
}

/** whatsmeow's PrivacySettings JSON from WhatsApp's category names. */
export function privacyEvent(settings: PrivacySettings): Record<string, string> {
  return {
    GroupAdd: settings.groupadd ?? '',
    LastSeen: settings.last ?? '',
    Status: settings.status ?? '',
    Profile: settings.profile ?? '',
    ReadReceipts: settings.readreceipts ?? '',
    CallAdd: settings.calladd ?? '',
    Online: settings.online ?? '',
    Messages: settings.messages ?? '',
  }
}

/** The account itself, its contacts, privacy settings and blocklist through Baileys. */
export function accountOf(ctx: AdapterContext): AccountPort {
  const { socket } = ctx
  const creds = () => socket.authState.creds
  const mapping = socket.signalRepository.lidMapping
  /** A JID → itself and its other form (phone ↔ LID), as far as the session knows it. */
  const both = async (jid: string) => {
    const bare = jidNormalizedUser(jid)
    const other = await (bare.endsWith('@lid') ? mapping.getPNForLID(bare) : Promise.resolve(null)).catch(
      () => null,
    )
    const pn = bare.endsWith('@lid') ? (other ? jidNormalizedUser(other) : '') : bare
    const lid = bare.endsWith('@lid')
      ? bare
      : ((await mapping.getLIDForPN(bare).catch(() => null)) ?? '').replace(/:\d+@/, '@')
    return { pn, lid }
  }

  // The blocklist as it stood at connect time (rc14 never emits `blocklist.set`).
  socket.ev.on('connection.update', (update) => {
    if (update.connection !== 'open') return
    socket
      .fetchBlocklist()
      .then(async (list) => {
        const entries = await Promise.all(list.filter((j): j is string => Boolean(j)).map((j) => both(j)))
        ctx.onEvent({
          type: 'notice',
          name: 'Blocklist',
          chat: '',
          data: {
            Action: '',
            DHash: '',
            JIDs: entries.map((e) => e.pn || e.lid),
            LIDs: entries.map((e) => e.lid),
          },
        })
      })
      .catch((err) => ctx.logger.debug({ err }, 'fetching the blocklist at connect failed'))
  })
  socket.ev.on('blocklist.update', ({ blocklist, type }) => {
    void Promise.all(blocklist.map((j) => both(j))).then((entries) => {
      for (const e of entries) {
        ctx.onEvent({
          type: 'notice',
          name: 'BlocklistChange',
          chat: e.pn || e.lid,
          data: {
            JID: e.pn || e.lid,
            JIDLid: e.lid,
            Action: type === 'add' ? 'block' : 'unblock',
          },
        })
      }
    })
  })
  socket.ev.on('settings.update', (update) => {
    ctx.onEvent({
      type: 'notice',
      name: 'PrivacySettings',
      chat: '',
      data: { Setting: update.setting, Value: update.value as unknown },
    })
  })
  let knownName = creds().me?.name
  socket.ev.on('creds.update', (update) => {
    const name = update.me?.name
    if (!name || name === knownName) return
    knownName = name
    ctx.onEvent({
      type: 'notice',
      name: 'PushNameSetting',
      chat: '',
      data: { Timestamp: new Date().toISOString(), Action: { name } },
    })
  })
  socket.ev.on('contacts.update', (updates) => {
    for (const u of updates) {
      // A group's picture change is reported by the groups part, with its author.
      if (!u.id || u.id.endsWith('@g.us') || (u.imgUrl !== 'changed' && u.imgUrl !== 'removed')) continue
      void both(u.id).then(({ pn, lid }) => {
        const jid = pn || lid || jidNormalizedUser(u.id)
        ctx.onEvent({
          type: 'notice',
          name: 'Picture',
          chat: jid,
          data: {
            JID: jid,
            JIDLid: lid,
            Author: '',
            Timestamp: new Date().toISOString(),
            Remove: u.imgUrl === 'removed',
            PictureID: '',
          },
        })
      })
    }
  })

  const privacy = async (refresh: boolean) =>
    ({
      ...(await refused('reading privacy settings', () => socket.fetchPrivacySettings(refresh))),
    }) as PrivacySettings

  return {
    privacy,
    setPrivacy: async (category, value) => {
      await refused('changing a privacy setting', () =>
        socket.query({
          tag: 'iq',
          attrs: { xmlns: 'privacy', to: 's.whatsapp.net', type: 'set' },
          content: [
            { tag: 'privacy', attrs: {}, content: [{ tag: 'category', attrs: { name: category, value } }] },
          ],
        }),
      )
      // Baileys caches the settings (read receipts depend on them): read them again.
      const settings = await privacy(true)
      ctx.onEvent({ type: 'notice', name: 'PrivacySettings', chat: '', data: privacyEvent(settings) })
      return settings
    },
    setDefaultDisappearing: (seconds) =>
      refused('setting the default disappearing timer', () => socket.updateDefaultDisappearingMode(seconds)),
    blocklist: async () =>
      (await refused('reading the blocklist', () => socket.fetchBlocklist()))
        .filter(Boolean)
        .map((j) => jidNormalizedUser(j)),
    setBlocked: (jid, block) =>
      refused(block ? 'blocking' : 'unblocking', () =>
        socket.updateBlockStatus(jid, block ? 'block' : 'unblock'),
      ),
    pushName: () => creds().me?.name || undefined,
    setPushName: (name) => refused('changing the push name', () => socket.updateProfileName(name)),
    setProfilePicture: async (jpeg) => {
      const { img } = await generateProfilePicture(jpeg)
      const result = await refused('setting the profile picture', () =>
        socket.query({
          tag: 'iq',
          attrs: { to: 's.whatsapp.net', type: 'set', xmlns: 'w:profile:picture' },
          content: [{ tag: 'picture', attrs: { type: 'image' }, content: img }],
        }),
      )
      return getBinaryNodeChild(result, 'picture')?.attrs.id ?? ''
    },
    removeProfilePicture: () =>
      refused('removing the profile picture', () => socket.removeProfilePicture(creds().me!.id)),
    profilePicture: async (jid, preview, via) => {
      let result: BinaryNode
      try {
        result = await socket.query(
          {
            tag: 'iq',
            attrs: { target: jid, to: 's.whatsapp.net', type: 'get', xmlns: 'w:profile:picture' },
            content: [
              {
                tag: 'picture',
                attrs: {
                  type: preview ? 'preview' : 'image',
                  query: 'url',
                  ...(via?.commonGroup ? { common_gid: via.commonGroup } : {}),
                  ...(via?.inviteCode ? { invite: via.inviteCode } : {}),
                  ...(via?.personaId ? { persona_id: via.personaId } : {}),
                },
              },
            ],
          },
          15_000,
        )
      } catch (err) {
        const code = codeOf(err)
        if (code === 404) return undefined
        throw new EngineRefusal(code, `reading the profile picture: ${(err as Error).message}`)
      }
      const picture = getBinaryNodeChild(result, 'picture')
      if (!picture?.attrs.url) return undefined
      const url = picture.attrs.url
      return {
        url,
        id: picture.attrs.id ?? '',
        type: picture.attrs.type ?? (preview ? 'preview' : 'image'),
        directPath: picture.attrs.direct_path ?? new URL(url).pathname + new URL(url).search,
      }
    },
    about: async (jid) => {
      const list = await refused('reading the about text', () => socket.fetchStatus(jid))
      const status = list?.[0]?.status as { status?: string | null; setAt?: Date } | undefined
      if (status?.status == null) return undefined
      return {
        text: status.status,
        setAt: status.setAt ? Math.floor(status.setAt.getTime() / 1000) : undefined,
      }
    },
    setPresence: async (state) => {
      if (!creds().me?.name)
        throw new EngineRefusal(
          409,
          'WhatsApp needs the account’s push name before a presence: the phone has not shared it yet (set one with /user/pushname)',
        )
      await socket.sendPresenceUpdate(state)
    },
    subscribePresence: (jid) => socket.presenceSubscribe(jid),
    saveContact: (jid, fullName) =>
      refused('saving the contact', () =>
        socket.addOrEditContact(jid, { fullName, saveOnPrimaryAddressbook: true }),
      ),
    removeContact: (jid) => refused('removing the contact', () => socket.removeContact(jid)),
    devicesOf: async (jids) => {
      const devices = await refused('reading devices', () => socket.getUSyncDevices(jids, false, false))
      const out: Record<string, string[]> = Object.fromEntries(jids.map((j) => [jidNormalizedUser(j), []]))
      for (const d of devices) {
        const server = d.jid?.split('@')[1] ?? 's.whatsapp.net'
        const owner = jids.find((j) => j.startsWith(`${d.user}@`)) ?? `${d.user}@${server}`
        const key = jidNormalizedUser(owner)
        out[key] = [...(out[key] ?? []), `${d.user}${d.device ? `:${d.device}` : ''}@${server}`]
      }
      return out
    },
  }
}
