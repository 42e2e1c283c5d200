import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyPluginAsync, FastifyReply } from 'fastify'

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

/** Nothing leaves the gateway's origin: no CDN, no external font, no inline script. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-cache',
}

interface Asset {
  type: string
  body: Buffer
}

/** Reads the built files once (they are small); index.html learns where it is mounted. */
function loadAssets(dir: string, basePath: string): Map<string, Asset> {
  const assets = new Map<string, Asset>()
  if (!fs.existsSync(dir)) return assets
  for (const name of fs.readdirSync(dir)) {
    const type = TYPES[path.extname(name)]
    if (!type) continue
    let body = fs.readFileSync(path.join(dir, name))
    if (name === 'index.html')
      body = Buffer.from(body.toString('utf8').replace('href="/dashboard/"', `href="${basePath}/dashboard/"`))
    assets.set(name, { type, body })
  }
  return assets
}

/**
 * The operators' dashboard at `<base path>/dashboard/`: static files built from `web/` by
 * `npm run build` (so `npm ci` builds it). It calls the gateway's own API from the browser.
 */
export const dashboardPlugin: FastifyPluginAsync<{ basePath: string; dir?: string }> = async (app, opts) => {
  const assets = loadAssets(opts.dir ?? DASHBOARD_DIR, opts.basePath)
  const send = (reply: FastifyReply, name: string) => {
    const asset = assets.get(name)
    if (!asset) {
      if (name === 'index.html')
        return reply
          .status(503)
          .type('text/plain; charset=utf-8')
          .send('The dashboard is not built: run `npm run build`.')
      return reply.status(404).type('text/plain; charset=utf-8').send('not found')
    }
    return reply.headers(SECURITY_HEADERS).type(asset.type).send(asset.body)
  }
  app.get('/dashboard', { schema: { hide: true } }, async (req, reply) => {
    // Relative addresses in the page need the trailing slash.
    if (!req.url.split('?')[0]!.endsWith('/')) return reply.redirect(`${req.url.split('?')[0]}/`)
    return send(reply, 'index.html')
  })
  app.get('/dashboard/:file', { schema: { hide: true } }, async (req, reply) =>
    send(reply, (req.params as { file: string }).file),
  )
}
