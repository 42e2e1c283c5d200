import http from 'node:http'
import https from 'node:https'
import { isIP } from 'node:net'
import { HttpsProxyAgent } from 'https-proxy-agent'
import { SocksProxyAgent } from 'socks-proxy-agent'
import type { NetworkTarget } from '../engine/port.js'
import { redactUrl } from '../lib/redact.js'
import { guardedLookup, urlProblem } from '../lib/url-guard.js'
import type { SessionDeps } from './deps.js'
import { AppError, validation } from './errors.js'

export interface ProxyInput {
  proxyUrl: string
  username?: string | undefined
  password?: string | undefined
}

/** The account's proxy for WhatsApp connections, in Miauzap's terms, and a test of one. */
export class ProxyService {
  constructor(
    private readonly deps: SessionDeps,
    /** Where sessions connect: the proxy test reaches the same host. */
    private readonly network: NetworkTarget,
  ) {}

  /** Miauzap's view of the proxy: URL without credentials, the user name apart. */
  async proxyConfig(userId: string) {
    const { proxy } = (await this.deps.users.get(userId)).secrets
    const url = proxy.url ? new URL(proxy.url) : undefined
    const username = url ? decodeURIComponent(url.username) : ''
    if (url) {
      url.username = ''
      url.password = ''
    }
    return {
      enabled: proxy.enabled,
      proxyUrl: url ? url.toString().replace(/\/$/, '') : '',
      username,
      bypass: proxy.bypass ?? [],
    }
  }

  /** Saves Miauzap's proxy settings (an empty URL turns the proxy off); used at the next connect. */
  async setProxyConfig(userId: string, input: ProxyInput & { bypass?: string[] | undefined }) {
    const url = input.proxyUrl.trim() ? proxyUrl(input) : ''
    await this.deps.users.update(
      userId,
      { proxyConfig: { enabled: url !== '', url, ...(input.bypass ? { bypass: input.bypass } : {}) } },
      'user',
    )
    return this.proxyConfig(userId)
  }

  /**
   * Opens a connection through the given proxy to the host WhatsApp sessions connect to
   * (web.whatsapp.com, or the test network in tests) and waits for its first HTTP answer: the
   * proxy works for Zapwire when that host answers through it. Stores nothing.
   */
  async testProxy(input: ProxyInput) {
    if (!input.proxyUrl.trim()) throw validation('proxy_url is required')
    const url = proxyUrl(input)
    const target = new URL(this.network.wsUrl ?? 'wss://web.whatsapp.com/ws/chat')
    const secure = target.protocol === 'wss:' || target.protocol === 'https:'
    const origin = `${secure ? 'https' : 'http'}://${target.host}/`
    const agent = /^socks/i.test(url)
      ? new SocksProxyAgent(await resolvedProxy(url))
      : new HttpsProxyAgent(url, { lookup: guardedLookup(false) })
    const started = Date.now()
    const status = await new Promise<number>((resolve, reject) => {
      const request = (secure ? https : http).get(origin, { agent, timeout: 10_000 }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      request.on('timeout', () => request.destroy(new Error('timed out after 10 s')))
      request.on('error', reject)
    }).catch((err: Error) => {
      const refusal = /status code (\d+)|Proxy connection ended|authentication/i.exec(err.message)
      throw new AppError(
        refusal ? 'VALIDATION' : 'UNAVAILABLE',
        `proxy connection test failed through ${redactUrl(url)} to ${target.host}: ${err.message}`,
      )
    })
    const failed = (code: 'VALIDATION' | 'UNAVAILABLE', why: string) =>
      new AppError(code, `proxy connection test failed through ${redactUrl(url)} to ${target.host}: ${why}`)
    // A proxy that refuses the tunnel answers in its place (the agent hands its answer on).
    if (status === 407) throw failed('VALIDATION', 'the proxy wants (other) credentials (407)')
    if (status === 502 || status === 503 || status === 504)
      throw failed('UNAVAILABLE', `the proxy could not reach it (${status})`)
    return { responseTimeMs: Date.now() - started, target: target.host, status }
  }
}

/**
 * A SOCKS proxy URL with its host resolved under the same rule (no link-local or metadata
 * address): the SOCKS agent resolves names itself, without a lookup hook.
 */
async function resolvedProxy(raw: string): Promise<string> {
  const url = new URL(raw)
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (isIP(host)) return raw
  const address = await new Promise<string>((resolve, reject) =>
    guardedLookup(false)(host, {}, (err, found) => (err ? reject(err) : resolve(String(found)))),
  ).catch((err: Error) => {
    throw /refused address/.test(err.message)
      ? validation(`proxy_url ${err.message}`)
      : new AppError(
          'UNAVAILABLE',
          `proxy connection test failed: ${host} could not be resolved (${err.message})`,
        )
  })
  url.hostname = isIP(address) === 6 ? `[${address}]` : address
  return url.toString().replace(/\/$/, '')
}

/** A proxy URL with the user name and password given apart (Miauzap) put in it. */
function proxyUrl(input: ProxyInput) {
  let url: URL
  try {
    url = new URL(input.proxyUrl.trim())
  } catch {
    throw validation('proxy_url must be a URL such as socks5://host:1080 or http://host:8080')
  }
  if (!/^(https?|socks4|socks5h?):$/.test(url.protocol))
    throw validation('proxy_url must be http://, https:// or socks5:// (socks4://)')
  // Private proxies are fine (self-hosted); link-local and metadata addresses never are.
  const problem = urlProblem(url.toString(), {
    schemes: ['http', 'https', 'socks4', 'socks5', 'socks5h'],
    blockPrivate: false,
  })
  if (problem) throw validation(`proxy_url ${problem}`)
  if (input.username) url.username = encodeURIComponent(input.username)
  if (input.password) url.password = encodeURIComponent(input.password)
  return url.toString().replace(/\/$/, '')
}
