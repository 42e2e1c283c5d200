/** The gateway's API, from the page's own address (the dashboard lives at <base>/dashboard/). */
export const API_ROOT = new URL('../', document.baseURI)

export interface Auth {
  role: 'admin' | 'user'
  token: string
  /** For a user token: its instance. */
  userId?: string
  name?: string
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

const KEY = 'zapwire.dashboard.auth'
/** The metrics token the health page keeps for the tab (signing out forgets it too). */
export const METRICS_KEY = 'zapwire.metrics'
/** Fired when the signed-in token itself is refused (revoked, rotated, instance deleted). */
export const UNAUTHORIZED = 'zapwire:unauthorized'

export function savedAuth(): Auth | undefined {
  try {
    const raw = sessionStorage.getItem(KEY)
    return raw ? (JSON.parse(raw) as Auth) : undefined
  } catch {
    return undefined
  }
}

export function saveAuth(auth: Auth | undefined): void {
  if (auth) sessionStorage.setItem(KEY, JSON.stringify(auth))
  else sessionStorage.removeItem(KEY)
}

export type Credential = { admin: string } | { user: string } | { bearer: string } | undefined

const credentialValue = (as: NonNullable<Credential>) =>
  'admin' in as ? as.admin : 'user' in as ? as.user : as.bearer

export interface Call {
  body?: unknown
  query?: Record<string, string | number | undefined>
  as?: Credential
  text?: boolean
}

/** One API call; resolves the parsed JSON (or text), rejects with ApiError(status, message). */
export async function api<T = unknown>(method: string, path: string, call: Call = {}): Promise<T> {
  const url = new URL(path.replace(/^\//, ''), API_ROOT)
  for (const [k, v] of Object.entries(call.query ?? {}))
    if (v !== undefined && v !== '') url.searchParams.set(k, String(v))
  const headers: Record<string, string> = {}
  const as = call.as
  if (as && 'admin' in as) headers.authorization = as.admin
  if (as && 'user' in as) headers.token = as.user
  if (as && 'bearer' in as) headers.authorization = `Bearer ${as.bearer}`
  if (call.body !== undefined) headers['content-type'] = 'application/json'
  let res: Response
  try {
    res = await fetch(url, {
      method,
      headers,
      // Answers carry instance tokens (admin/users/:id): never into the browser's disk cache.
      cache: 'no-store',
      ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
    })
  } catch (err) {
    throw new ApiError(0, `the gateway cannot be reached (${(err as Error).message})`)
  }
  const text = await res.text()
  if (call.text) {
    if (!res.ok) throw new ApiError(res.status, text.slice(0, 200) || res.statusText)
    return text as T
  }
  let json: unknown
  try {
    json = text ? JSON.parse(text) : undefined
  } catch {
    json = undefined
  }
  if (res.status === 401 && as && credentialValue(as) === savedAuth()?.token)
    window.dispatchEvent(new Event(UNAUTHORIZED))
  if (!res.ok) {
    const body = json as { error?: string; message?: string } | undefined
    throw new ApiError(res.status, body?.error ?? body?.message ?? (text.slice(0, 200) || res.statusText))
  }
  return json as T
}

/** The `data` of a wuzapi envelope. */
export async function data<T>(method: string, path: string, call: Call = {}): Promise<T> {
  return (await api<{ data: T }>(method, path, call)).data
}

/** A WebSocket URL for a path of the API. */
export function wsUrl(path: string, query: Record<string, string | number | undefined>): string {
  const url = new URL(path.replace(/^\//, ''), API_ROOT)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== '') url.searchParams.set(k, String(v))
  return url.toString()
}
