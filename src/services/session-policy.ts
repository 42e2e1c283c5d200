/** Truthful session states (never "connected" unless WhatsApp said so). */
export const SESSION_STATES = [
  'disconnected',
  'connecting',
  'qr',
  'connected',
  'reconnecting',
  'logged_out',
  'replaced',
  'banned',
  'outdated',
  'failed',
] as const
export type SessionState = (typeof SESSION_STATES)[number]

export type CloseAction = 'none' | 'reconnect-now' | 'reconnect-backoff' | 'stop' | 'purge'

export interface CloseDecision {
  state: SessionState
  action: CloseAction
  /** The wuzapi event name to report, if any. */
  event: string | undefined
}

/**
 * What a closed connection means and what to do next, by WhatsApp's close code: 515 reconnect at
 * once; 440 stop (replaced elsewhere: reconnecting would fight); 401/403/406 logged out (purge);
 * 402 temporary ban; 405 outdated client; QR refs used up; everything else reconnects with backoff.
 */
export function decideOnClose(code: number | undefined, message: string): CloseDecision {
  if (code === undefined) return { state: 'disconnected', action: 'none', event: 'Disconnected' }
  switch (code) {
    case 515:
      return { state: 'reconnecting', action: 'reconnect-now', event: undefined }
    case 440:
      return { state: 'replaced', action: 'stop', event: 'StreamReplaced' }
    case 401:
    case 403:
    case 406:
      return { state: 'logged_out', action: 'purge', event: 'LoggedOut' }
    case 402:
      return { state: 'banned', action: 'stop', event: 'TemporaryBan' }
    case 405:
      return { state: 'outdated', action: 'stop', event: 'ClientOutdated' }
    case 411:
      return { state: 'failed', action: 'stop', event: 'ConnectFailure' }
    case 408:
      if (/QR refs attempts ended/i.test(message))
        return { state: 'disconnected', action: 'stop', event: 'QRTimeout' }
      return {
        state: 'reconnecting',
        action: 'reconnect-backoff',
        event: /connection was lost/i.test(message) ? 'KeepAliveTimeout' : 'Disconnected',
      }
    case 428:
      return { state: 'reconnecting', action: 'reconnect-backoff', event: 'Disconnected' }
    default:
      if (code >= 400 && code < 500)
        return { state: 'reconnecting', action: 'reconnect-backoff', event: 'ConnectFailure' }
      return { state: 'reconnecting', action: 'reconnect-backoff', event: 'Disconnected' }
  }
}

/** Exponential backoff with ±50 % jitter, capped: attempt 0 → ~base, 1 → ~2×base, … */
export function backoffMs(attempt: number, baseMs = 1_000, capMs = 60_000, random = Math.random): number {
  const plain = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 20))
  return Math.round(plain * (0.5 + random()))
}
