import { createDecipheriv, createHash, createHmac, timingSafeEqual } from 'node:crypto'
import https from 'node:https'
import makeWASocket, {
  ALL_WA_PATCH_NAMES,
  type AuthenticationCreds,
  Browsers,
  BufferJSON,
  type Contact,
  DEFAULT_CONNECTION_CONFIG,
  decryptPollVote,
  generateMessageIDV2,
  generateWAMessageFromContent,
  getMediaKeys,
  getUrlFromDirectPath,
  jidNormalizedUser,
  prepareWAMessageMedia,
  proto,
  WA_CERT_DETAILS,
  type WAMessage,
} from 'baileys'
import { HttpsProxyAgent } from 'https-proxy-agent'
import { SocksProxyAgent } from 'socks-proxy-agent'
import { Agent, type Dispatcher, ProxyAgent, request } from 'undici'
import { guardedLookup } from '../../lib/url-guard.js'
import type { CredentialStore } from '../credentials.js'
import type {
  ConnectionEvent,
  ConnectOptions,
  DownloadKind,
  Engine,
  EngineCapability,
  EngineConnection,
  LastMessage,
  RefreshReport,
  RefreshRequest,
} from '../port.js'
import { EngineRefusal } from '../port.js'
import { accountOf } from './account.js'
import { storedAuthState } from './auth-state.js'
import { isRaw, rawContent, toBaileysContent } from './content.js'
import type { AdapterContext } from './context.js'
import { extrasOf } from './extras.js'
import { groupsOf } from './groups.js'
import { newslettersOf } from './newsletters.js'
import {
  deserialize,
  mediaInfo,
  normalizeMessage,
  receiptFromUpdate,
  receiptFromUserReceipt,
  receiptsFoldedInto,
} from './normalize.js'

/** The Baileys adapter: the only module (with its siblings) that imports `baileys`. */
export class BaileysEngine implements Engine {
  readonly name = 'baileys'
  readonly capabilities: ReadonlySet<EngineCapability> = new Set(['qr', 'pairing-code', 'logout'])

  async isPaired(store: CredentialStore): Promise<boolean> {
    const saved = await store.readCreds()
    if (!saved) return false
    const creds = JSON.parse(saved, BufferJSON.reviver) as AuthenticationCreds
    return Boolean(creds.me?.id && creds.account)
  }

  async connect(
    options: ConnectOptions,
    onEvent: (event: ConnectionEvent) => void,
  ): Promise<EngineConnection> {
    const { state, saveCreds } = await storedAuthState(options.store)
    // A pairing-code attempt that never finished leaves `me` set without an account: start over.
    if (state.creds.me && !state.creds.account) {
      await options.store.purge()
      return this.connect(options, onEvent)
    }
    const { network } = options
    if (network.rootPublicKey) WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(network.rootPublicKey)
    const ca = network.mediaCertificate
    const proxied = proxyFor(
      options.proxy,
      network.wsUrl ?? DEFAULT_CONNECTION_CONFIG.waWebSocketUrl.toString(),
      ca,
    )
    const socket = makeWASocket({
      auth: state,
      logger: options.logger,
      browser: [
        options.client?.osName ?? Browsers.ubuntu('Zapwire')[0],
        options.client?.browserName ?? 'Zapwire',
        options.client?.osVersion ?? Browsers.ubuntu('Zapwire')[2],
      ],
      ...(options.client?.version ? { version: options.client.version } : {}),
      ...(options.client?.countryCode ? { countryCode: options.client.countryCode } : {}),
      markOnlineOnConnect: false,
      syncFullHistory: false,
      // Initial bootstrap (contacts, LID mappings) and push names only: no recent or full history,
      // which also spares a new login Baileys' 20 s wait for a history that may never come.
      shouldSyncHistoryMessage: (m) =>
        m.syncType !== proto.HistorySync.HistorySyncType.RECENT &&
        m.syncType !== proto.HistorySync.HistorySyncType.FULL,
      getMessage: async (key) => {
        const raw = key.id ? await options.getMessage?.(key.id) : undefined
        return raw ? deserialize(raw) : undefined
      },
      ...(network.wsUrl ? { waWebSocketUrl: network.wsUrl } : {}),
      ...(proxied
        ? { agent: proxied.agent, fetchAgent: proxied.agent }
        : ca
          ? { fetchAgent: new https.Agent({ ca }) }
          : {}),
      ...(proxied?.dispatcher || ca
        ? {
            options: {
              dispatcher: proxied?.dispatcher ?? new Agent({ connect: { ca } }),
            } as unknown as RequestInit,
          }
        : {}),
    })
    const downloads = proxied?.dispatcher ?? (ca ? new Agent({ connect: { ca } }) : new Agent())
    let ending = false
    let opened = false
    let offlineDrained = false
    let offlineReported = false
    let saving: Promise<void> = Promise.resolve()
    // Writes are chained, and a close is reported only once they have landed: a 515 restart
    // right after pairing must find the new credentials in the store.
    socket.ev.on('creds.update', () => {
      saving = saving
        .then(() => saveCreds())
        .catch((err) => options.logger.error({ err }, 'saving credentials failed'))
    })
    socket.ev.on('connection.update', (update) => {
      if (update.qr) onEvent({ type: 'qr', qr: update.qr })
      if (update.isNewLogin && state.creds.me) {
        onEvent({ type: 'paired', jid: state.creds.me.id, lid: state.creds.me.lid })
      }
      if (update.connection === 'open' && state.creds.me) {
        opened = true
        onEvent({ type: 'open', jid: state.creds.me.id, lid: state.creds.me.lid })
      }
      // Baileys may say the offline queue is drained before it says the socket is open.
      if (update.receivedPendingNotifications) offlineDrained = true
      if (opened && offlineDrained && !offlineReported) {
        offlineReported = true
        onEvent({ type: 'offline-sync-completed' })
      }
      if (update.connection === 'close') {
        const error = update.lastDisconnect?.error as
          | { output?: { statusCode?: number }; message?: string }
          | undefined
        const code = ending ? undefined : error?.output?.statusCode
        void saving.then(() => onEvent({ type: 'close', code, message: error?.message ?? 'closed' }))
      }
    })
    socket.ws.on('frame', () => onEvent({ type: 'inbound' }))
    socket.ws.on('CB:stream:error', (node: { attrs?: { code?: string }; content?: unknown }) => {
      const conflict = Array.isArray(node.content) && node.content.some((c) => c?.tag === 'conflict')
      onEvent({ type: 'stream-error', code: node.attrs?.code ?? (conflict ? 'conflict' : '') })
    })
    const me = () => ({ id: state.creds.me?.id ?? '', lid: state.creds.me?.lid })
    /** Ids being sent through `send`: Baileys echoes them as upserts, which `send` reports itself. */
    const outgoing = new Set<string>()
    socket.ev.on('messages.upsert', ({ messages, type }) => {
      const normalized = []
      // Receipts Baileys merged into these upserts: reported after the messages they are about.
      const folded = messages.flatMap(receiptsFoldedInto)
      const reportFolded = () => {
        if (folded.length > 0) onEvent({ type: 'receipts', receipts: folded })
      }
      for (const m of messages) {
        if (m.key.fromMe && m.key.id && outgoing.delete(m.key.id)) continue
        if (m.messageStubType === proto.WebMessageInfo.StubType.CIPHERTEXT) {
          onEvent({
            type: 'undecryptable',
            chat: m.key.remoteJid ?? '',
            id: m.key.id ?? '',
            sender: m.key.participant || m.key.remoteJid || '',
            reason: m.messageStubParameters?.[0] ?? '',
          })
          continue
        }
        const message = normalizeMessage(m, type === 'notify', me())
        if (message) normalized.push({ message, original: m })
      }
      if (normalized.length === 0) {
        reportFolded()
        return
      }
      void Promise.all(
        normalized.map(async ({ message, original }) =>
          message.type === 'poll_vote' ? { ...message, votes: await pollVotes(original) } : message,
        ),
      ).then((list) => {
        onEvent({ type: 'messages', messages: list })
        reportFolded()
      })
    })
    /** The options a poll vote chose, decrypted with the poll's secret (Baileys rc14 does not). */
    const pollVotes = async (m: WAMessage): Promise<string[]> => {
      const update = m.message?.pollUpdateMessage
      const pollId = update?.pollCreationMessageKey?.id
      const raw = pollId ? await options.getMessage?.(pollId) : undefined
      if (!update?.vote || !raw) return []
      const poll = deserialize(raw)
      const secret = poll.messageContextInfo?.messageSecret
      const creation = poll.pollCreationMessage ?? poll.pollCreationMessageV2 ?? poll.pollCreationMessageV3
      if (!secret || !creation) return []
      const pollKey = update.pollCreationMessageKey
      const extras = m.key as typeof m.key & { participantAlt?: string; remoteJidAlt?: string }
      const given = m.key.fromMe
        ? [me().id, me().lid]
        : [m.key.participant || m.key.remoteJid, extras.participantAlt || extras.remoteJidAlt]
      const mapping = socket.signalRepository.lidMapping
      const other = await Promise.all(
        given.map(async (j) =>
          !j ? undefined : j.endsWith('@lid') ? mapping.getPNForLID(j) : mapping.getLIDForPN(j),
        ),
      ).catch(() => [])
      const unique = (list: (string | null | undefined)[]) => [
        ...new Set(list.filter((j): j is string => Boolean(j)).map((j) => jidNormalizedUser(j))),
      ]
      // Which address (PN or LID) each side used in the HMAC input is not known: try them all.
      const voters = unique([...given, ...other])
      const creators = unique([
        ...(pollKey?.fromMe ? [] : [pollKey?.participant, pollKey?.remoteJid]),
        me().id,
        me().lid,
      ])
      for (const v of voters) {
        for (const c of creators) {
          try {
            const { selectedOptions } = decryptPollVote(update.vote, {
              pollCreatorJid: c,
              pollMsgId: pollId!,
              pollEncKey: secret,
              voterJid: v,
            })
            const names = new Map(
              (creation.options ?? []).map((o) => [
                createHash('sha256')
                  .update(o.optionName ?? '')
                  .digest('hex'),
                o.optionName ?? '',
              ]),
            )
            return selectedOptions.map((h) => names.get(Buffer.from(h).toString('hex')) ?? '')
          } catch {
            // The HMAC input depends on which address (PN or LID) each side used: try the next.
          }
        }
      }
      return []
    }
    socket.ev.on('messages.update', (updates) => {
      const receipts = updates.map(receiptFromUpdate).filter((r) => r !== undefined)
      if (receipts.length > 0) onEvent({ type: 'receipts', receipts })
    })
    socket.ev.on('message-receipt.update', (updates) => {
      const receipts = updates
        .map(({ key, receipt }) => receiptFromUserReceipt(key, receipt))
        .filter((r) => r !== undefined)
      if (receipts.length > 0) onEvent({ type: 'receipts', receipts })
    })
    const contactsOf = (list: Partial<Contact>[]) =>
      list.flatMap((c) => {
        if (!c.id || !(c.name || c.notify || c.verifiedName)) return []
        const id = jidNormalizedUser(c.id)
        const pn = id.endsWith('@lid') ? (c.phoneNumber ? jidNormalizedUser(c.phoneNumber) : undefined) : id
        const lid = id.endsWith('@lid') ? id : c.lid ? jidNormalizedUser(c.lid) : undefined
        return [
          {
            jid: pn ?? id,
            lid,
            pushName: c.notify ?? undefined,
            fullName: c.name ?? undefined,
            firstName: c.name?.split(' ')[0],
            businessName: c.verifiedName ?? undefined,
          },
        ]
      })
    const reportContacts = (list: Partial<Contact>[]) => {
      const contacts = contactsOf(list)
      if (contacts.length > 0) onEvent({ type: 'contacts', contacts })
    }
    socket.ev.on('contacts.upsert', reportContacts)
    socket.ev.on('contacts.update', reportContacts)
    socket.ev.on('messaging-history.set', (chunk) => {
      const pairs = (chunk.lidPnMappings ?? []).map((m) => ({
        lid: jidNormalizedUser(m.lid),
        pn: jidNormalizedUser(m.pn),
      }))
      if (pairs.length > 0) onEvent({ type: 'identities', pairs })
      reportContacts(chunk.contacts)
      const messages = chunk.messages
        .map((m) => normalizeMessage(m, false, me()))
        .filter((m) => m !== undefined)
      onEvent({
        type: 'history',
        syncType: proto.HistorySync.HistorySyncType[chunk.syncType ?? 0] ?? String(chunk.syncType),
        chunkOrder: chunk.chunkOrder ?? undefined,
        progress: chunk.progress ?? undefined,
        chats: chunk.chats.flatMap((c) => (c.id ? [jidNormalizedUser(c.id)] : [])),
        messages,
        requestId: chunk.peerDataRequestSessionId ?? undefined,
      })
    })
    socket.ev.on('messages.media-update', (updates) => {
      for (const u of updates) {
        if (!u.key.id || !u.key.remoteJid) continue
        const error = u.error as { output?: { statusCode?: number } } | undefined
        onEvent({
          type: 'media-retry',
          id: u.key.id,
          chat: jidNormalizedUser(u.key.remoteJid),
          fromMe: Boolean(u.key.fromMe),
          participant: u.key.participant ? jidNormalizedUser(u.key.participant) : undefined,
          result:
            u.media && !error
              ? {
                  ciphertext: Buffer.from(u.media.ciphertext).toString('base64'),
                  iv: Buffer.from(u.media.iv).toString('base64'),
                }
              : { error: error?.output?.statusCode ?? 404 },
        })
      }
    })
    socket.ev.on('lid-mapping.update', (mapping) => {
      onEvent({
        type: 'identities',
        pairs: [{ lid: jidNormalizedUser(mapping.lid), pn: jidNormalizedUser(mapping.pn) }],
      })
    })
    socket.ev.on('presence.update', ({ id, presences }) => {
      for (const [who, p] of Object.entries(presences)) {
        onEvent({
          type: 'presence',
          chat: jidNormalizedUser(id),
          who: jidNormalizedUser(who),
          state: p.lastKnownPresence,
          lastSeen: p.lastSeen ?? undefined,
        })
      }
    })
    // The server's ack for each message we send: a refusal carries WhatsApp's error code.
    const acks = new Map<string, (error: number | undefined) => void>()
    socket.ws.on('CB:ack,class:message', (node: { attrs: Record<string, string> }) => {
      const waiter = acks.get(node.attrs.id ?? '')
      if (waiter) waiter(node.attrs.error ? Number(node.attrs.error) : undefined)
    })
    const serverAck = (id: string, timeoutMs: number) =>
      new Promise<number | undefined>((resolve) => {
        const timer = setTimeout(() => {
          acks.delete(id)
          resolve(undefined)
        }, timeoutMs)
        acks.set(id, (error) => {
          clearTimeout(timer)
          acks.delete(id)
          resolve(error)
        })
      })
    const parts: AdapterContext = { socket, onEvent, me, logger: options.logger }
    return {
      ...groupsOf(parts),
      ...newslettersOf(parts),
      ...accountOf(parts),
      ...extrasOf(parts),
      requestPairingCode: (phone) => socket.requestPairingCode(phone),
      logout: async () => {
        ending = true
        await socket.logout()
      },
      end: async () => {
        ending = true
        await socket.end(undefined)
        await saving
      },
      ping: async (timeoutMs) => {
        try {
          await socket.query(
            {
              tag: 'iq',
              attrs: { to: 's.whatsapp.net', type: 'get', xmlns: 'w:p' },
              content: [{ tag: 'ping', attrs: {} }],
            },
            timeoutMs,
          )
          return true
        } catch {
          return false
        }
      },
      refresh: (what) => refresh(socket, what),
      setAbout: (text) => socket.updateProfileStatus(text),
      modifyChat: async (chat, change) => {
        const lastMessages = (last: LastMessage | undefined) =>
          last
            ? [
                {
                  key: {
                    remoteJid: chat,
                    id: last.id,
                    fromMe: last.fromMe,
                    ...(last.participant ? { participant: last.participant } : {}),
                  },
                  messageTimestamp: last.timestamp,
                },
              ]
            : []
        try {
          switch (change.kind) {
            case 'archive':
              return await socket.chatModify(
                { archive: change.archive, lastMessages: lastMessages(change.last) },
                chat,
              )
            case 'pin':
              return await socket.chatModify({ pin: change.pin }, chat)
            case 'mute':
              return await socket.chatModify({ mute: change.until }, chat)
            case 'star':
              return await socket.star(chat, [{ id: change.id, fromMe: change.fromMe }], change.star)
            case 'delete':
              return await socket.chatModify({ delete: true, lastMessages: lastMessages(change.last) }, chat)
            case 'deleteForMe': {
              const [m] = lastMessages(change.message)
              const deleteForMe = { deleteMedia: false, key: m!.key, timestamp: change.message.timestamp }
              return await socket.chatModify({ deleteForMe }, chat)
            }
          }
        } catch (err) {
          const message = (err as Error).message
          if (/App state key/i.test(message))
            throw new EngineRefusal(409, 'the phone has not shared its app-state key yet')
          throw err
        }
      },
      upload: async (kind, data, mimetype) => {
        const prepared = await prepareWAMessageMedia({ [kind]: data, mimetype } as never, {
          upload: socket.waUploadToServer,
          mediaUploadTimeoutMs: 60_000,
        })
        const inner = (prepared as unknown as Record<string, Parameters<typeof mediaInfo>[0] | undefined>)[
          `${kind}Message`
        ]
        if (!inner) throw new Error('the upload produced no media')
        return mediaInfo(inner)
      },
      download: async (kind, media) => {
        // Only WhatsApp's media hosts (or the test network's) are contacted, whatever `url` says.
        const given = media.url ? new URL(media.url) : undefined
        const host = network.mediaUrl
          ? new URL(network.mediaUrl).host
          : given?.hostname.endsWith('.whatsapp.net')
            ? given.host
            : 'mmg.whatsapp.net'
        const directPath = media.directPath || (given ? `${given.pathname}${given.search}` : '')
        if (!directPath) throw new EngineRefusal(400, 'no media location (Url or DirectPath)')
        return fetchMedia(getUrlFromDirectPath(directPath, host), media.mediaKey, kind, downloads)
      },
      retryMedia: async (ref, kind, media) => {
        const message: WAMessage = {
          key: {
            remoteJid: ref.chat,
            id: ref.id,
            fromMe: ref.fromMe,
            ...(ref.participant ? { participant: ref.participant } : {}),
          },
          message: {
            [`${kind}Message`]: {
              mediaKey: Buffer.from(media.mediaKey, 'base64'),
              directPath: media.directPath ?? null,
              url: media.url ?? null,
            },
          },
        }
        try {
          const updated = await socket.updateMediaMessage(message)
          const inner = (
            updated.message as Record<string, { directPath?: string | null; url?: string | null }>
          )[`${kind}Message`]
          return { directPath: inner?.directPath ?? '', url: inner?.url ?? '' }
        } catch (err) {
          const status = (err as { output?: { statusCode?: number } }).output?.statusCode
          throw new EngineRefusal(
            status ?? 500,
            `the phone could not upload the file again: ${(err as Error).message}`,
          )
        }
      },
      send: async (to, content, sendOptions) => {
        const id = sendOptions.id ?? generateMessageIDV2(socket.user?.id)
        outgoing.add(id)
        setTimeout(() => outgoing.delete(id), 60_000).unref()
        const ack = serverAck(id, 15_000)
        let sent: WAMessage | undefined
        if (isRaw(content)) {
          const upload = async (
            kind: 'image' | 'video' | 'document',
            data: Buffer,
            mimetype: string,
            fileName?: string,
          ) =>
            (await prepareWAMessageMedia({ [kind]: data, mimetype, fileName } as never, {
              upload: socket.waUploadToServer,
              mediaUploadTimeoutMs: 60_000,
            })) as proto.IMessage
          const raw = await rawContent(content, sendOptions, upload)
          sent = generateWAMessageFromContent(to, raw.message, { userJid: socket.user!.id, messageId: id })
          await socket.relayMessage(to, sent.message!, {
            messageId: id,
            ...(raw.nodes.length ? { additionalNodes: raw.nodes } : {}),
          })
        } else {
          sent = await socket.sendMessage(to, toBaileysContent(content, sendOptions), {
            messageId: id,
            ...(sendOptions.ephemeralSeconds ? { ephemeralExpiration: sendOptions.ephemeralSeconds } : {}),
          })
        }
        const error = await ack
        if (error !== undefined) throw new EngineRefusal(error, `WhatsApp refused the message (${error})`)
        const message = sent ? normalizeMessage(sent, true, me()) : undefined
        if (!message) throw new Error('the engine produced no message')
        return message
      },
      checkNumbers: async (phones) => {
        const found = (await socket.onWhatsApp(...phones)) ?? []
        const mapping = socket.signalRepository.lidMapping
        return Promise.all(
          phones.map(async (phone) => {
            const hit = found.find((r) => r.jid.startsWith(`${phone}@`))
            const jid = hit?.jid ?? `${phone}@s.whatsapp.net`
            // Baileys asks WhatsApp (usync) when it does not know the LID yet.
            const lid = hit?.exists ? await mapping.getLIDForPN(jid).catch(() => null) : null
            return {
              query: phone,
              exists: Boolean(hit?.exists),
              jid,
              lid: lid ? jidNormalizedUser(lid) : undefined,
            }
          }),
        )
      },
      userInfo: async (jid) => {
        const [status, picture, business, devices] = await Promise.all([
          socket.fetchStatus(jid).catch(() => undefined),
          socket.profilePictureUrl(jid, 'preview', 10_000).catch(() => undefined),
          socket.getBusinessProfile(jid).catch(() => undefined),
          socket.getUSyncDevices([jid], false, false).catch(() => []),
        ])
        const about = status?.[0]?.status as { status?: string | null; setAt?: Date } | undefined
        const hours = business?.business_hours
        return {
          about:
            about?.status != null
              ? {
                  text: about.status,
                  setAt: about.setAt ? Math.floor(about.setAt.getTime() / 1000) : undefined,
                }
              : undefined,
          picture: picture ? { url: picture, directPath: new URL(picture).pathname } : undefined,
          devices: devices.map((d) => d.jid ?? `${d.user}${d.device ? `:${d.device}` : ''}@s.whatsapp.net`),
          business: business
            ? {
                description: business.description ?? '',
                email: business.email ?? '',
                website: business.website ?? [],
                category: business.category ?? '',
                address: business.address ?? '',
                timezone: hours?.timezone ?? '',
                hours: (hours?.business_config ?? hours?.config ?? []).map((h) => ({
                  day: h.day_of_week,
                  mode: h.mode,
                  openTime: h.open_time,
                  closeTime: h.close_time,
                })),
              }
            : undefined,
        }
      },
      markRead: (refs) =>
        socket.readMessages(
          refs.map((r) => ({
            remoteJid: r.chat,
            id: r.id,
            fromMe: r.fromMe,
            ...(r.participant ? { participant: r.participant } : {}),
          })),
        ),
      sendPresence: (presence, to) => socket.sendPresenceUpdate(presence, to),
      requestFromPhone: async (ref) => {
        const id = await socket.requestPlaceholderResend({
          remoteJid: ref.chat,
          id: ref.id,
          fromMe: ref.fromMe,
          ...(ref.participant ? { participant: ref.participant } : {}),
        })
        return id && id !== 'RESOLVED' ? id : undefined
      },
    }
  }
}

type Socket = ReturnType<typeof makeWASocket>

/** Baileys uploads more pre-keys when the server holds fewer than this. */
const MIN_PRE_KEYS = 5

async function refresh(socket: Socket, what: RefreshRequest): Promise<RefreshReport> {
  const report: RefreshReport = { appState: [] }
  const message = (err: unknown) => (err instanceof Error ? err.message : String(err))
  if (what.appState) {
    for (const name of ALL_WA_PATCH_NAMES) {
      const started = Date.now()
      try {
        await socket.resyncAppState([name], false)
        report.appState.push({ name, success: true, durationMs: Date.now() - started })
      } catch (err) {
        report.appState.push({ name, success: false, error: message(err), durationMs: Date.now() - started })
      }
    }
  }
  if (what.preKeys) {
    try {
      const result = await socket.query({
        tag: 'iq',
        attrs: { to: 's.whatsapp.net', type: 'get', xmlns: 'encrypt' },
        content: [{ tag: 'count', attrs: {} }],
      })
      const count = Array.isArray(result.content)
        ? Number(result.content.find((c: { tag: string }) => c.tag === 'count')?.attrs.value ?? 0)
        : 0
      await socket.uploadPreKeysToServerIfRequired()
      report.preKeys = { serverCount: count, uploadTriggered: count < MIN_PRE_KEYS }
    } catch (err) {
      report.preKeys = { serverCount: 0, uploadTriggered: false, error: message(err) }
    }
  }
  if (what.privacy) {
    try {
      await socket.fetchPrivacySettings(true)
      report.privacy = { fetched: true }
    } catch (err) {
      report.privacy = { fetched: false, error: message(err) }
    }
  }
  return report
}

/**
 * The agents that send the chat socket and media through a proxy: an agent for the socket and
 * uploads, an undici dispatcher for downloads (HTTP proxies only; through a SOCKS proxy downloads
 * go direct). None when there is no proxy or the socket's host is in the bypass list.
 */
function proxyFor(
  proxy: ConnectOptions['proxy'],
  wsUrl: string,
  ca: string | undefined,
): { agent: https.Agent; dispatcher: Dispatcher | undefined } | undefined {
  if (!proxy) return undefined
  const host = new URL(wsUrl).hostname
  if (proxy.bypass.some((h) => host === h || host.endsWith(`.${h.replace(/^\*?\./, '')}`))) return undefined
  // The proxy's own address is checked when it is resolved, at each connection: a name that
  // comes to point at a link-local or cloud-metadata address is refused.
  const lookup = guardedLookup(false)
  if (/^socks/i.test(proxy.url))
    return {
      agent: new SocksProxyAgent(proxy.url, { socketOptions: { lookup } }) as unknown as https.Agent,
      dispatcher: undefined,
    }
  return {
    agent: new HttpsProxyAgent(proxy.url, { lookup }) as unknown as https.Agent,
    dispatcher: new ProxyAgent({
      uri: proxy.url,
      proxyTls: { lookup },
      ...(ca ? { requestTls: { ca } } : {}),
    }),
  }
}

/**
 * Downloads an encrypted media file and decrypts it after checking its MAC (the last 10 bytes:
 * HMAC-SHA256 of IV and ciphertext under the media key's MAC key), which Baileys' own download
 * skips: a wrong media key is refused instead of yielding garbage when the padding happens to fit.
 */
async function fetchMedia(
  url: string,
  mediaKey: string,
  kind: DownloadKind,
  dispatcher: Dispatcher,
): Promise<Buffer> {
  const res = await request(url, { dispatcher, headers: { Origin: 'https://web.whatsapp.com' } })
  if (res.statusCode !== 200) {
    await res.body.dump()
    throw new EngineRefusal(res.statusCode, `the media server answered ${res.statusCode}`)
  }
  const file = Buffer.from(await res.body.arrayBuffer())
  if (file.length < 10 + 16) throw new EngineRefusal(400, 'the media file is truncated')
  const { iv, cipherKey, macKey } = await getMediaKeys(Buffer.from(mediaKey, 'base64'), kind)
  if (!macKey) throw new EngineRefusal(400, 'no MAC key for this media type')
  const encrypted = file.subarray(0, -10)
  const mac = createHmac('sha256', macKey).update(iv).update(encrypted).digest().subarray(0, 10)
  if (!timingSafeEqual(mac, file.subarray(-10)))
    throw new EngineRefusal(400, 'the media key does not match the file (MAC check failed)')
  const decipher = createDecipheriv('aes-256-cbc', cipherKey, iv)
  return Buffer.concat([decipher.update(encrypted), decipher.final()])
}
