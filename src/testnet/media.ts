import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { Agent } from 'undici'

/**
 * The network's self-signed certificate for 127.0.0.1 and localhost (test use only; its key is
 * public). Resolved from the package root so that src/ and dist/ find the same files.
 */
export const MEDIA_TLS = {
  cert: fs.readFileSync(new URL('../../src/testnet/tls/cert.pem', import.meta.url)),
  key: fs.readFileSync(new URL('../../src/testnet/tls/key.pem', import.meta.url)),
}

/**
 * What a client needs to trust the media server: an agent for uploads, and request options whose
 * undici dispatcher Baileys' downloads (global fetch) use.
 */
export function mediaTrust(ca: Buffer = MEDIA_TLS.cert) {
  const dispatcher = new Agent({ connect: { ca } })
  // RequestInit's DOM typing has no `dispatcher`; Node's fetch reads it.
  return { agent: new https.Agent({ ca }), requestInit: { dispatcher } as unknown as RequestInit }
}

const MAX_BYTES = 100 * 1024 * 1024

/** Stores uploaded (already encrypted) media and serves it back, with Range support, over HTTPS. */
export class MediaServer {
  private readonly blobs = new Map<string, Buffer>()
  /** Files past their time on the server: gone from it, but their sender can upload them again. */
  private readonly expired = new Map<string, Buffer>()
  private readonly server = https.createServer(MEDIA_TLS, (req, res) => {
    this.handle(req, res).catch(() => {
      res.statusCode = 500
      res.end()
    })
  })
  host = ''

  async listen(host: string, port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, host, resolve))
    this.host = `${host}:${(this.server.address() as AddressInfo).port}`
    return `https://${this.host}`
  }

  close(): Promise<void> {
    this.server.closeAllConnections()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }

  /** Stores bytes directly (profile pictures) and returns their URL. */
  put(bytes: Buffer): { id: string; url: string; directPath: string } {
    const id = randomBytes(16).toString('hex')
    this.blobs.set(id, bytes)
    return { id, url: `https://${this.host}/d/${id}`, directPath: `/d/${id}` }
  }

  /** Removes a file (by URL or direct path) as the server does after a while; false if unknown. */
  expire(path: string): boolean {
    const id = idOf(path)
    const blob = this.blobs.get(id)
    if (!blob) return false
    this.blobs.delete(id)
    this.expired.set(id, blob)
    return true
  }

  /** The sender uploads an expired (or still present) file again: where it is now. */
  reupload(path: string): { url: string; directPath: string } | undefined {
    const id = idOf(path)
    const blob = this.expired.get(id) ?? this.blobs.get(id)
    if (!blob) return undefined
    this.expired.delete(id)
    const { url, directPath } = this.put(blob)
    return { url, directPath }
  }

  private async handle(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) {
    const url = new URL(req.url ?? '/', `https://${this.host}`)
    if (req.method === 'POST' && url.pathname.startsWith('/mms/')) {
      const chunks: Buffer[] = []
      let size = 0
      for await (const chunk of req) {
        size += (chunk as Buffer).length
        if (size > MAX_BYTES) {
          res.writeHead(413).end()
          return
        }
        chunks.push(chunk as Buffer)
      }
      const { url, directPath } = this.put(Buffer.concat(chunks))
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ url, direct_path: directPath }))
      return
    }
    const blob = req.method === 'GET' ? this.blobs.get(idOf(url.pathname)) : undefined
    if (!blob) {
      res.writeHead(404).end()
      return
    }
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '')
    if (range) {
      const start = range[1] ? Number(range[1]) : 0
      const end = range[2] ? Math.min(Number(range[2]), blob.length - 1) : blob.length - 1
      res.writeHead(206, {
        'content-range': `bytes ${start}-${end}/${blob.length}`,
        'content-length': end - start + 1,
      })
      res.end(blob.subarray(start, end + 1))
      return
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': blob.length })
    res.end(blob)
  }
}

/** The blob id in a media URL or direct path (`/d/<id>`). */
const idOf = (path: string) => new URL(path, 'https://media.invalid').pathname.replace(/^\/d\//, '')
