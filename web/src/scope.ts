import { type Auth, type Credential, data } from './api.js'

/** What a page started (timers, sockets): stopped when the operator leaves the page. */
export class Scope {
  private readonly stops: (() => void)[] = []
  disposed = false

  every(ms: number, fn: () => unknown, now = true): void {
    let running = false
    const tick = async () => {
      if (running || this.disposed || document.hidden) return
      running = true
      try {
        await fn()
      } catch {
        // the page shows its own errors; a failed refresh tries again at the next tick
      } finally {
        running = false
      }
    }
    if (now) void tick()
    const id = window.setInterval(tick, ms)
    this.stops.push(() => window.clearInterval(id))
  }

  onDispose(fn: () => void): void {
    this.stops.push(fn)
  }

  dispose(): void {
    this.disposed = true
    for (const stop of this.stops.splice(0)) stop()
  }
}

export interface Ctx {
  auth: Auth
  scope: Scope
  /** Navigates to a hash route. */
  go(route: string): void
}

export const adminCred = (auth: Auth): Credential => ({ admin: auth.token })

const tokens = new Map<string, string>()

/** The credential that acts as one instance: its own token (the admin reads it from the user). */
export async function instanceCred(auth: Auth, id: string): Promise<Credential> {
  if (auth.role === 'user') return { user: auth.token }
  let token = tokens.get(id)
  if (!token) {
    const users = await data<{ token: string }[]>('GET', `admin/users/${encodeURIComponent(id)}`, {
      as: adminCred(auth),
    })
    token = users[0]?.token ?? ''
    tokens.set(id, token)
  }
  return { user: token }
}

export function forgetTokens(): void {
  tokens.clear()
}
