import https from 'node:https'
import makeWASocket, {
  ALL_WA_PATCH_NAMES,
  type AuthenticationCreds,
  Browsers,
  BufferJSON,
  DEFAULT_CONNECTION_CONFIG,
  proto,
  WA_CERT_DETAILS,
} from 'baileys'
import { HttpsProxyAgent } from 'https-proxy-agent'
import { SocksProxyAgent } from 'socks-proxy-agent'
import { Agent, type Dispatcher, ProxyAgent } from 'undici'
import type { CredentialStore } from '../credentials.js'
import type {
  ConnectionEvent,
  ConnectOptions,
  Engine,
  EngineCapability,
  EngineConnection,
  RefreshReport,
  RefreshRequest,
} from '../port.js'
import { storedAuthState } from './auth-state.js'

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
    socket.ev.on('messages.upsert', ({ messages }) => {
      for (const m of messages) {
        if (m.messageStubType !== proto.WebMessageInfo.StubType.CIPHERTEXT) continue
        onEvent({
          type: 'undecryptable',
          chat: m.key.remoteJid ?? '',
          id: m.key.id ?? '',
          sender: m.key.participant || m.key.remoteJid || '',
          reason: m.messageStubParameters?.[0] ?? '',
        })
      }
    })
    return {
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
  if (/^socks/i.test(proxy.url))
    return { agent: new SocksProxyAgent(proxy.url) as unknown as https.Agent, dispatcher: undefined }
  return {
    agent: new HttpsProxyAgent(proxy.url) as unknown as https.Agent,
    dispatcher: new ProxyAgent({ uri: proxy.url, ...(ca ? { requestTls: { ca } } : {}) }),
  }
}
