import assert from 'node:assert/strict'
import fs from 'node:fs'
import { describe, it } from 'node:test'
import { wuzapiError } from '../src/api/wuzapi/errors.js'
import { EngineRefusal } from '../src/engine/port.js'
import { AppError } from '../src/services/errors.js'
import { mapped } from '../src/services/refusals.js'
import { ADMIN_TOKEN, createUser, useApp } from './helpers/app.js'

/**
 * Odd input at every route of the "rest of the wuzapi dialect" (groups, communities, newsletters,
 * lookups, profile, privacy, proxy, calls, status posts, labels, business, devices, sync, admin
 * instances), without a linked session: input is checked before the engine, so every answer is a
 * 4xx (a route that needs the session says 409), never a 5xx or a hang.
 */
const FILES = [
  'group',
  'community',
  'newsletter',
  'lookups',
  'profile',
  'privacy',
  'proxy',
  'calls',
  'status-posts',
  'labels',
  'business',
  'devices',
  'sync',
  'admin-instances',
]
const PATHS = [
  ...new Set(
    FILES.flatMap((f) =>
      [
        ...fs
          .readFileSync(`src/api/wuzapi/${f}.routes.ts`, 'utf8')
          .matchAll(
            /['`](\/(?:group|community|newsletter|user|session|privacy|blocklist|proxy|call|status|label|business|device|sync|admin)[\w/.:-]*)['`]/g,
          ),
      ].map((m) => m[1]!),
    ),
  ),
]
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const

interface Schema {
  type?: string | string[]
  properties?: Record<string, Schema>
  items?: Schema
  anyOf?: Schema[]
  oneOf?: Schema[]
  enum?: unknown[]
  const?: unknown
  minimum?: number
  maximum?: number
  default?: unknown
  examples?: unknown[]
}

const PHONE = '5521999990001'
const GROUP = '120363000000000001@g.us'
const NEWSLETTER = '120363000000000002@newsletter'
const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=='

/** A plausible value for a field, by its name and schema (valid input reaches the session check). */
function plausible(name: string, schema: Schema): unknown {
  const members = schema.anyOf ?? schema.oneOf
  if (members?.length) return plausible(name, members[0]!)
  if (schema.const !== undefined) return schema.const
  if (schema.enum?.length) return schema.enum[0]
  if (schema.examples?.length) return schema.examples[0]
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
  const n = name.toLowerCase()
  if (type === 'boolean') return true
  if (type === 'integer' || type === 'number')
    return schema.minimum !== undefined ? Math.max(schema.minimum, 1) : 1
  if (type === 'array') return [plausible(name, schema.items ?? { type: 'string' })]
  if (type === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, s] of Object.entries(schema.properties ?? {})) out[k] = plausible(k, s)
    return out
  }
  if (/newsletter/.test(n)) return NEWSLETTER
  if (/group|community|parent|linkedparent/.test(n) && /jid|id/.test(n)) return GROUP
  if (/url|link/.test(n)) return 'https://chat.whatsapp.com/AbCdEfGhIjK1234567890'
  if (/image|photo|avatar|picture|audio|media|file/.test(n)) return PNG
  if (/phone|jid|number|participant|user|contact|caller|from|to|chat/.test(n)) return PHONE
  return 'x'
}

/** Plausible values that must not reach the Internet: the proxy test tries a closed local port. */
const OVERRIDES: Record<string, Record<string, unknown>> = {
  '/proxy/test': { proxy_url: 'http://127.0.0.1:1' },
}

/** Values a client sends by mistake (or on purpose). */
const ODD_STRINGS: unknown[] = [
  '',
  '   ',
  `${PHONE}:12@s.whatsapp.net`,
  '123456789012345@lid',
  '123456789012345:3@lid',
  GROUP,
  NEWSLETTER,
  'status@broadcast',
  '@s.whatsapp.net',
  '+',
  '../../../../etc/passwd',
  'file:///etc/passwd',
  'http://169.254.169.254/latest/meta-data',
  'http://127.0.0.1:1/x',
  'x'.repeat(70_000),
  '\u0000',
  -1,
  { a: 1 },
  [PHONE],
  null,
  true,
]
const ODD_ARRAYS: unknown[] = [
  [],
  [''],
  [null],
  [123],
  [{}],
  [[]],
  [`${PHONE}:12@s.whatsapp.net`, '123456789012345@lid', GROUP],
  Array.from({ length: 5000 }, (_, i) => `55219999${String(i).padStart(5, '0')}`),
  PHONE,
  {},
  null,
]
const ODD_OTHERS: unknown[] = ['yes', 'x', -1, 1e20, 1.5, null, [], {}, '']

function oddValues(schema: Schema): unknown[] {
  const types = new Set(
    [schema, ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].flatMap((s) =>
      Array.isArray(s.type) ? s.type : s.type ? [s.type] : [],
    ),
  )
  const out = new Set<unknown>()
  if (types.has('string') || types.size === 0) for (const v of [...ODD_STRINGS, 1e20, 1.5]) out.add(v)
  if (types.has('array')) for (const v of [...ODD_ARRAYS, 'x', -1]) out.add(v)
  if (out.size === 0) for (const v of ODD_OTHERS) out.add(v)
  return [...out]
}

interface Operation {
  parameters?: { in: string; name: string; schema: Schema }[]
  requestBody?: { content: Record<string, { schema: Schema }> }
}

describe('odd input to the groups/newsletters/account/extras routes answers 4xx, never 5xx', () => {
  const t = useApp('sqlite')

  it('every route of these files is found and fuzzed', async () => {
    const user = await createUser(t, { name: 'fuzz' })
    const doc = t.app.swagger() as { paths: Record<string, Record<string, Operation>> }
    const failures: string[] = []
    const counts = { requests: 0, status409: 0, routes: 0 }
    const fire = async (method: string, path: string, query: Record<string, unknown>, body?: unknown) => {
      const search = new URLSearchParams()
      for (const [k, v] of Object.entries(query))
        if (v !== undefined) search.set(k, typeof v === 'string' ? v : JSON.stringify(v))
      const url = `${path}${search.size ? `?${search}` : ''}`
      const headers = path.startsWith('/admin') ? { authorization: ADMIN_TOKEN } : { token: user.token }
      const options =
        body === undefined
          ? { method: method as 'GET', url, headers }
          : typeof body === 'string'
            ? {
                method: method as 'GET',
                url,
                headers: { ...headers, 'content-type': 'application/json' },
                payload: body,
              }
            : { method: method as 'GET', url, headers, payload: body as object }
      counts.requests++
      const started = performance.now()
      const res = await Promise.race([
        t.app.inject(options),
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 5_000).unref()),
      ])
      const shown = JSON.stringify(body ?? query).slice(0, 160)
      if (process.env.FUZZ_SLOW && performance.now() - started > 50)
        process.stderr.write(
          `slow ${Math.round(performance.now() - started)} ms ${method} ${path} ${shown}\n`,
        )
      if (!res) failures.push(`${method} ${path} ${shown}: no answer in 5 s`)
      else if (res.statusCode >= 500 && !(path === '/proxy/test' && res.statusCode === 503))
        failures.push(`${method} ${path} ${shown}: ${res.statusCode} ${res.body.slice(0, 200)}`)
      else if (res.statusCode === 409) counts.status409++
      else if (res.statusCode < 400 && !path.startsWith('/admin') && method !== 'GET' && body !== undefined)
        if (!/^\/(proxy\/config|session\/presence\/config|device\/platform)$/.test(path))
          // Only a few things work without a session (proxy settings, presence config): they are
          // named here so that a route that forgets to need the session is noticed.
          failures.push(`${method} ${path} ${shown}: ${res.statusCode} without a session`)
      if (res && res.statusCode >= 400 && res.statusCode < 500) {
        const json = res.json() as { success?: unknown; code?: unknown; error?: unknown }
        if (json.success !== false || json.code !== res.statusCode || typeof json.error !== 'string')
          failures.push(
            `${method} ${path} ${shown}: not the wuzapi error envelope: ${res.body.slice(0, 200)}`,
          )
      }
      return res
    }

    assert.ok(PATHS.length >= 85, `paths found in the route files: ${PATHS.length}`)
    for (const path of PATHS) {
      const found = METHODS.filter((method) => t.app.hasRoute({ method, url: path }))
      if (found.length === 0) failures.push(`${path}: no route`)
      for (const method of found) {
        counts.routes++
        const op = doc.paths[path]?.[method.toLowerCase()]
        if (!op) {
          failures.push(`${method} ${path}: not in the OpenAPI document`)
          continue
        }
        const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query')
        const baseQuery = Object.fromEntries(queryParams.map((p) => [p.name, plausible(p.name, p.schema)]))
        const bodySchema = op.requestBody?.content['application/json']?.schema
        const baseBody = bodySchema
          ? {
              ...(plausible('', { ...bodySchema, type: bodySchema.type ?? 'object' }) as Record<
                string,
                unknown
              >),
              ...OVERRIDES[path],
            }
          : undefined
        // Plausible input: reaches the session (409) or is refused as input (4xx).
        await fire(method, path, baseQuery, baseBody)
        for (const p of queryParams) {
          await fire(method, path, { ...baseQuery, [p.name]: undefined }, baseBody)
          for (const odd of oddValues(p.schema))
            await fire(method, path, { ...baseQuery, [p.name]: odd }, baseBody)
        }
        if (!baseBody) continue
        for (const raw of ['{}', '[]', '"x"', 'null', '12', '{"a":', '{"__proto__":{"x":1}}'])
          await fire(method, path, baseQuery, raw)
        for (const [name, schema] of Object.entries(bodySchema?.properties ?? {})) {
          const { [name]: _, ...without } = baseBody
          await fire(method, path, baseQuery, without)
          for (const odd of oddValues(schema))
            await fire(method, path, baseQuery, { ...baseBody, [name]: odd })
          // Lower-case spelling, as Go clients send.
          await fire(method, path, baseQuery, { ...without, [name.toLowerCase()]: oddValues(schema)[0] })
        }
      }
    }
    // wuzapi documents GET /user/avatar with a JSON body ({"Phone":…,"Preview":true}).
    const avatar = await t.app.inject({
      method: 'GET',
      url: '/user/avatar',
      headers: { token: user.token },
      payload: { Phone: PHONE, Preview: true },
    })
    assert.equal(avatar.statusCode, 409, avatar.body)
    // A SOCKS proxy's host name is resolved (and checked) before the agent connects to it.
    const socks = await t.app.inject({
      method: 'POST',
      url: '/proxy/test',
      headers: { token: user.token },
      payload: { proxy_url: 'socks5h://localhost:1' },
    })
    assert.equal(socks.statusCode, 503, socks.body)
    assert.match(socks.json().error, /proxy connection test failed .*ECONNREFUSED (127\.0\.0\.1|::1):1/)
    assert.deepEqual(failures, [], `${failures.length} bad answers of ${counts.requests}`)
    assert.ok(counts.routes >= 90, `routes fuzzed: ${counts.routes}`)
    // Plausible input reached the session check on most routes (else the fuzz tests only the schema).
    assert.ok(counts.status409 >= 60, `answers 409 (no session): ${counts.status409}`)
  })
})

/** A Boom as Baileys throws it: an IQ's `<error code text>` (data: code, status 500) or its own status. */
const boom = (message: string, statusCode: number, data?: unknown) =>
  Object.assign(new Error(message), { isBoom: true, output: { statusCode, payload: {} }, data })

describe('WhatsApp’s refusals and Baileys’ errors become clear statuses (never 500)', () => {
  const cases: [string, unknown, number, string][] = [
    ['not-authorized (IQ error 401)', boom('not-authorized', 500, 401), 403, 'FORBIDDEN'],
    ['forbidden (IQ error 403)', boom('forbidden', 500, 403), 403, 'FORBIDDEN'],
    ['item-not-found (IQ error 404)', boom('item-not-found', 500, 404), 404, 'NOT_FOUND'],
    ['rate-overlimit (IQ error 429)', boom('rate-overlimit', 500, 429), 429, 'RATE_LIMITED'],
    ['bad-request (IQ error 400)', boom('bad-request', 500, 400), 400, 'VALIDATION'],
    ['not-acceptable (IQ error 406)', boom('not-acceptable', 500, 406), 400, 'VALIDATION'],
    ['conflict (IQ error 409)', boom('conflict', 500, 409), 422, 'WHATSAPP_REFUSED'],
    ['internal-server-error (IQ error 500)', boom('internal-server-error', 500, 500), 503, 'UNAVAILABLE'],
    [
      'group error node (status = code)',
      boom('forbidden', 403, { tag: 'error', attrs: { code: '403' } }),
      403,
      'FORBIDDEN',
    ],
    ['Baileys’ query timeout', boom('Timed Out', 408, { stack: 'x' }), 408, 'TIMEOUT'],
    ['a closed socket', boom('Connection Closed', 428), 409, 'SESSION_NOT_READY'],
    ['a lost socket', boom('Connection was lost', 408), 409, 'SESSION_NOT_READY'],
    ['a socket not logged in yet', boom('Not authenticated', 500), 409, 'SESSION_NOT_READY'],
    ['an engine refusal 403', new EngineRefusal(403, 'not an admin'), 403, 'FORBIDDEN'],
    ['an engine refusal 429', new EngineRefusal(429, 'slow down'), 429, 'RATE_LIMITED'],
    ['an engine refusal 463', new EngineRefusal(463, 'reach-out restriction'), 422, 'WHATSAPP_REFUSED'],
    ['a plain timeout', new Error('timed out after 10 s'), 408, 'TIMEOUT'],
  ]
  for (const [name, err, status, code] of cases)
    it(`${name} → ${status}`, () => {
      const domain = mapped(err)
      assert.ok(domain instanceof AppError, `${name}: not mapped`)
      assert.equal(domain.code, code)
      const answer = wuzapiError(err, 'r')
      assert.equal(answer.status, status)
      assert.equal(answer.body.success, false)
      assert.notEqual(answer.body.error, 'internal server error')
    })

  it('keeps WhatsApp’s own code in the answer, and leaves other errors alone (a bug stays a 500)', () => {
    const code = (err: unknown) => (wuzapiError(err, 'r').body as { whatsapp_code?: number }).whatsapp_code
    assert.equal(code(boom('rate-overlimit', 500, 429)), 429)
    assert.equal(code(new EngineRefusal(463, 'x')), 463)
    const bug = new TypeError('x.trim is not a function')
    assert.equal(mapped(bug), bug)
    assert.equal(wuzapiError(bug, 'r').status, 500)
  })
})
