import { Agent, request } from 'undici'
import { guardedLookup, urlProblem } from '../lib/url-guard.js'
import { AppError } from './errors.js'

export type MediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker'

/** Largest file per kind (DIGIGO documents 5 MB images and 16 MB audio; WhatsApp's own limits). */
export const MEDIA_LIMITS: Record<MediaKind, number> = {
  image: 5 * 2 ** 20,
  sticker: 1 * 2 ** 20,
  audio: 16 * 2 ** 20,
  video: 16 * 2 ** 20,
  document: 100 * 2 ** 20,
}

/** MIME types each kind accepts (documents take anything). */
const ACCEPTED: Record<Exclude<MediaKind, 'document'>, RegExp> = {
  image: /^image\/(jpeg|png|gif|webp)$/,
  sticker: /^image\/(webp|png)$/,
  audio: /^(audio\/(ogg|mpeg|mp4|aac|amr|wav|x-wav|webm)|video\/mp4)$/,
  video: /^video\/(mp4|3gpp|quicktime|webm|x-ms-asf)$/,
}

/** The type a file's first bytes say it is, for the formats WhatsApp carries. */
export function sniffMime(data: Buffer): string | undefined {
  const at = (offset: number, hex: string) =>
    data.subarray(offset, offset + hex.length / 2).toString('hex') === hex
  const ascii = (offset: number, text: string) =>
    data.subarray(offset, offset + text.length).toString('latin1') === text
  if (at(0, 'ffd8ff')) return 'image/jpeg'
  if (at(0, '89504e470d0a1a0a')) return 'image/png'
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'image/gif'
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'image/webp'
  if (ascii(0, 'RIFF') && ascii(8, 'WAVE')) return 'audio/wav'
  if (ascii(0, 'OggS')) return 'audio/ogg'
  if (ascii(0, 'ID3') || at(0, 'fffb') || at(0, 'fff3') || at(0, 'fff2')) return 'audio/mpeg'
  if (ascii(0, '#!AMR')) return 'audio/amr'
  if (ascii(4, 'ftyp')) {
    const brand = data.subarray(8, 12).toString('latin1')
    if (brand.startsWith('M4A')) return 'audio/mp4'
    if (brand.startsWith('3gp')) return 'video/3gpp'
    if (brand.startsWith('qt')) return 'video/quicktime'
    return 'video/mp4'
  }
  if (at(0, '1a45dfa3')) return 'video/webm'
  if (ascii(0, '%PDF-')) return 'application/pdf'
  if (at(0, '504b0304')) return 'application/zip'
  return undefined
}

export interface FetchedMedia {
  data: Buffer
  mimetype: string
}

/**
 * Media given to a send route → bytes and a MIME type that was checked, not trusted. Accepts a
 * data URL, bare base64 or an http(s) URL; a URL reaches only public addresses (checked again
 * after DNS), or hosts the operator allowed. Never a local file.
 */
export class MediaFetcher {
  private readonly maxBytes: number
  private readonly allowHosts: Set<string>
  private readonly agent: Agent
  private readonly trustedAgent: Agent

  constructor(options: { maxBytes?: number | undefined; allowHosts?: string[] | undefined } = {}) {
    this.maxBytes = options.maxBytes ?? 100 * 2 ** 20
    this.allowHosts = new Set((options.allowHosts ?? []).map((h) => h.toLowerCase()))
    this.agent = new Agent({ connect: { lookup: guardedLookup(true) }, connectTimeout: 10_000 })
    this.trustedAgent = new Agent({ connectTimeout: 10_000 })
  }

  async resolve(input: string, kind: MediaKind, declared?: string): Promise<FetchedMedia> {
    const limit = Math.min(MEDIA_LIMITS[kind], this.maxBytes)
    const text = input.trim()
    let data: Buffer
    let full = declared?.trim() || undefined
    const dataUrl = /^data:([\w.+-]+\/[\w.+-]+)?((?:;\s*[\w-]+=[^;,]*)*);base64,(.*)$/s.exec(text)
    if (dataUrl) {
      full ??= dataUrl[1] ? `${dataUrl[1].toLowerCase()}${dataUrl[2] ?? ''}` : undefined
      data = decodeBase64(dataUrl[3]!, kind)
    } else if (/^https?:\/\//i.test(text)) {
      data = await this.download(text, limit, kind)
    } else if (/^[a-z][a-z0-9+.-]*:/i.test(text) || text.startsWith('/') || text.startsWith('.')) {
      throw new AppError('UNSAFE_URL', `${kind}: only data URLs, base64 or http(s) URLs are accepted`)
    } else {
      data = decodeBase64(text, kind)
    }
    return this.check(data, kind, full)
  }

  /** Size and type checks for bytes given as they are (uploads). */
  check(data: Buffer, kind: MediaKind, declared?: string): FetchedMedia {
    const full = declared?.trim() || undefined
    const limit = Math.min(MEDIA_LIMITS[kind], this.maxBytes)
    const mime = full?.split(';')[0]?.trim().toLowerCase() || undefined
    if (data.length === 0) throw new AppError('VALIDATION', `${kind} is empty`)
    if (data.length > limit)
      throw new AppError('PAYLOAD_TOO_LARGE', `${kind} is larger than ${limit / 2 ** 20} MB`)
    const sniffed = sniffMime(data)
    if (kind === 'document') return { data, mimetype: mime ?? sniffed ?? 'application/octet-stream' }
    const actual = sniffed ?? mime
    if (!actual || !ACCEPTED[kind].test(actual))
      throw new AppError(
        'VALIDATION',
        `${kind} must be ${ACCEPTED[kind].source.replace(/[\\^$]/g, '')}; got ${actual ?? 'unknown data'}`,
      )
    if (
      mime &&
      sniffed &&
      mime.split('/')[0] !== sniffed.split('/')[0] &&
      !(kind === 'audio' && sniffed === 'video/mp4')
    )
      throw new AppError('VALIDATION', `${kind} says ${mime} but its content is ${sniffed}`)
    // Voice notes keep their codec parameter (audio/ogg; codecs=opus) when the client gave one.
    const mimetype =
      kind === 'audio' && full && sniffed === 'audio/ogg' ? full.replace(/;\s*/g, '; ') : actual
    return { data, mimetype }
  }

  /**
   * The title and description a web page gives for a link preview (Open Graph, else `<title>`),
   * fetched under the same rules as media; undefined when the page cannot be read.
   */
  async linkPreview(url: string): Promise<{ url: string; title: string; description: string } | undefined> {
    let html: string
    try {
      html = (await this.download(url, 512 * 1024, 'document')).toString('utf8')
    } catch {
      return undefined
    }
    const meta = (name: string) =>
      new RegExp(`<meta[^>]+(?:property|name)=["']${name}["'][^>]*content=["']([^"']*)["']`, 'i').exec(
        html,
      )?.[1] ??
      new RegExp(`<meta[^>]+content=["']([^"']*)["'][^>]*(?:property|name)=["']${name}["']`, 'i').exec(
        html,
      )?.[1]
    const title = meta('og:title') ?? /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1]?.trim() ?? ''
    const description = meta('og:description') ?? meta('description') ?? ''
    return title || description
      ? { url, title: decodeEntities(title), description: decodeEntities(description) }
      : undefined
  }

  private async download(url: string, limit: number, kind: MediaKind): Promise<Buffer> {
    const host = new URL(url).hostname.toLowerCase()
    const trusted = this.allowHosts.has(host)
    const problem = urlProblem(url, { schemes: ['http', 'https'], blockPrivate: !trusted })
    if (problem) throw new AppError('UNSAFE_URL', `${kind} URL ${problem}`)
    let res: Awaited<ReturnType<typeof request>>
    try {
      res = await request(url, {
        dispatcher: trusted ? this.trustedAgent : this.agent,
        headersTimeout: 15_000,
        bodyTimeout: 30_000,
        maxRedirections: 0,
      } as Parameters<typeof request>[1])
    } catch (err) {
      const message = (err as Error).message
      if (/private|link-local/.test(message)) throw new AppError('UNSAFE_URL', `${kind} URL ${message}`)
      throw new AppError('MEDIA_UNAVAILABLE', `${kind} URL could not be fetched: ${message}`)
    }
    if (res.statusCode !== 200) {
      await res.body.dump()
      throw new AppError('MEDIA_UNAVAILABLE', `${kind} URL answered ${res.statusCode}`)
    }
    const length = Number(res.headers['content-length'] ?? 0)
    if (length > limit) {
      await res.body.dump()
      throw new AppError('PAYLOAD_TOO_LARGE', `${kind} is larger than ${limit / 2 ** 20} MB`)
    }
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length
      if (size > limit) {
        res.body.destroy()
        throw new AppError('PAYLOAD_TOO_LARGE', `${kind} is larger than ${limit / 2 ** 20} MB`)
      }
      chunks.push(chunk as Buffer)
    }
    return Buffer.concat(chunks)
  }

  async close(): Promise<void> {
    await Promise.all([this.agent.close(), this.trustedAgent.close()])
  }
}

function decodeBase64(text: string, kind: MediaKind): Buffer {
  const clean = text.replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(clean) || clean.length % 4 === 1)
    throw new AppError('VALIDATION', `${kind} is not valid base64, a data URL or an http(s) URL`)
  return Buffer.from(clean, clean.includes('-') || clean.includes('_') ? 'base64url' : 'base64')
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" }
const decodeEntities = (text: string) =>
  text.replace(/&(amp|lt|gt|quot|#39|apos);/g, (_, e: string) => ENTITIES[e]!)
