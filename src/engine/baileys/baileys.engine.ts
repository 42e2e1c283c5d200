import https from 'node:https'
import makeWASocket, {
  type AuthenticationCreds,
  Browsers,
  BufferJSON,
  DEFAULT_CONNECTION_CONFIG,
  WA_CERT_DETAILS,
} from 'baileys'
import { HttpsProxyAgent } from 'https-proxy-agent'
import { SocksProxyAgent } from 'socks-proxy-agent'
import { Agent, type Dispatcher, ProxyAgent } from 'undici'
import type { CredentialStore } from '../credentials.js'
import type { ConnectionEvent, ConnectOptions, Engine, EngineCapability, EngineConnection } from '../port.js'
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
        onEvent({ type: 'open', jid: state.creds.me.id, lid: state.creds.me.lid })
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
    }
  }
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
