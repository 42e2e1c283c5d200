import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'

/** Where `npm run build` puts the dashboard (from `web/`); the same from src/ and from dist/. */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../dist/dashboard/', import.meta.url))

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
}

/** A Host header fit to name in the CSP (a host name or IP literal and a port; nothing else). */
const HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i

/**
 * Nothing leaves the gateway's origin: no CDN, no external font, no inline script, no eval. The
 * page's WebSocket may reach its own host only (`'self'` alone does not cover ws: everywhere).
 */
function securityHeaders(req: FastifyRequest): Record<string, string> {
  const host = req.headers.host ?? ''
  const ws = HOST.test(host) ? ` ws://${host} wss://${host}` : ''
  return {
    'content-security-policy': `default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'${ws}; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
    // Revalidated on every load (the ETag makes that a 304): a new build is picked up at once.
    'cache-control': 'no-cache',
  }
}

interface Asset {
  type: string
  body: Buffer
  etag: string
}

/**
 * Reads the built files once (they are small); index.html learns where it is mounted. Only regular
 * files directly in `dir` are served: never a symlink (it could point anywhere) or a directory,
 * and requests are answered from this map, so no request path ever reaches the file system.
 */
function loadAssets(dir: string, basePath: string): Map<string, Asset> {
  const assets = new Map<string, Asset>()
  if (!fs.existsSync(dir)) return assets
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const type = TYPES[path.extname(entry.name)]
    if (!type || !entry.isFile()) continue
    let body = fs.readFileSync(path.join(dir, entry.name))
    if (entry.name === 'index.html')
      body = Buffer.from(body.toString('utf8').replace('href="/dashboard/"', `href="${basePath}/dashboard/"`))
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`
    assets.set(entry.name, { type, body, etag })
  }
  return assets
}

/**
 * The operators' dashboard at `<base path>/dashboard/`: static files built from `web/` by
 * `npm run build` (so `npm ci` builds it). It calls the gateway's own API from the browser.
 */
export const dashboardPlugin: FastifyPluginAsync<{ basePath: string; dir?: string }> = async (app, opts) => {
  const assets = loadAssets(opts.dir ?? DASHBOARD_DIR, opts.basePath)
  const send = (req: FastifyRequest, reply: FastifyReply, name: string) => {
    const asset = assets.get(name)
    reply.header('x-content-type-options', 'nosniff')
    if (!asset) {
      if (name === 'index.html')
        return reply
          .status(503)
          .type('text/plain; charset=utf-8')
          .send('The dashboard is not built: run `npm run build`.')
      return reply.status(404).type('text/plain; charset=utf-8').send('not found')
    }
    reply.headers(securityHeaders(req)).header('etag', asset.etag)
    if (req.headers['if-none-match'] === asset.etag) return reply.status(304).send()
    return reply.type(asset.type).send(asset.body)
  }
  app.get('/dashboard', { schema: { hide: true } }, async (req, reply) => {
    // Relative addresses in the page need the trailing slash.
    // The target is fixed (never built from the request): no open redirect.
    if (!req.url.split('?')[0]!.endsWith('/')) return reply.redirect(`${opts.basePath}/dashboard/`)
    return send(req, reply, 'index.html')
  })
  app.get('/dashboard/:file', { schema: { hide: true } }, async (req, reply) =>
    send(req, reply, (req.params as { file: string }).file),
  )
}
