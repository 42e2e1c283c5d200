import { EngineRefusal } from '../engine/port.js'
import { AppError, type ErrorCode } from './errors.js'

/** Runs an engine call: WhatsApp's refusals become domain errors (409 → `on409`). */
export async function refusals<T>(
  run: () => Promise<T>,
  on409: 'APP_STATE_NOT_READY' | 'SESSION_NOT_READY' = 'APP_STATE_NOT_READY',
): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (err instanceof EngineRefusal && err.code === 409) throw new AppError(on409, err.message)
    throw mapped(err)
  }
}

/** A Baileys error: a Boom (`output.statusCode`; `data` holds the `<error code>` of an IQ answer). */
interface BoomLike {
  isBoom?: boolean
  message?: string
  data?: unknown
  output?: { statusCode?: number }
}

const isBoom = (err: unknown): err is BoomLike =>
  typeof err === 'object' &&
  err !== null &&
  ((err as BoomLike).isBoom === true || typeof (err as BoomLike).output?.statusCode === 'number')

/** WhatsApp's code of an engine error: the refusal's, the `<error code>` a Boom carries, else its status. */
export function whatsappCodeOf(err: unknown): number | undefined {
  if (err instanceof EngineRefusal) return err.code
  if (!isBoom(err)) return undefined
  const data = err.data as { code?: unknown; attrs?: { code?: unknown } } | number | undefined
  const fromData =
    typeof data === 'number'
      ? data
      : Number((data as { attrs?: { code?: unknown } })?.attrs?.code ?? data?.code)
  if (Number.isInteger(fromData) && fromData >= 400 && fromData < 600) return fromData
  return err.output?.statusCode
}

/** The session's socket went away under the call (Baileys' Connection Closed/Lost, Not authenticated). */
const GONE = /Connection (Closed|was lost|Terminated)|Not authenticated|Query Cancelled|Intentional Logout/i

/**
 * An engine error (EngineRefusal, or a Boom Baileys threw) → a domain error a client can act on:
 * 400/406 → VALIDATION, 401/403 (not-authorized, forbidden) → FORBIDDEN, 404 (item-not-found) →
 * NOT_FOUND, 408 (timed out) → TIMEOUT, 428 or a lost socket → SESSION_NOT_READY, 429
 * (rate-overlimit) → RATE_LIMITED, 5xx (WhatsApp's internal error, unavailable) → UNAVAILABLE, any
 * other refusal → WHATSAPP_REFUSED; WhatsApp's code goes along. Other errors are returned as they are.
 */
export function mapped(err: unknown): unknown {
  if (err instanceof AppError) return err
  const refusal = err instanceof EngineRefusal
  const boom = isBoom(err)
  const message = err instanceof Error ? err.message : String(err)
  if (!refusal && !boom) {
    // Baileys' own timers (prekey upload, query) and a socket lost mid-call, thrown as plain errors.
    if (err instanceof Error && /^Timed Out$|timed out/i.test(message))
      return new AppError('TIMEOUT', `WhatsApp did not answer in time: ${message}`)
    return err
  }
  const code = whatsappCodeOf(err) ?? 500
  const details = { whatsappCode: code }
  const as = (kind: ErrorCode, text: string) => new AppError(kind, text, details)
  if (boom && (code === 428 || GONE.test(message)))
    return as('SESSION_NOT_READY', `the WhatsApp session is not connected: ${message}`)
  if (code === 408 || (boom && /timed out/i.test(message)))
    return as('TIMEOUT', `WhatsApp did not answer in time: ${message}`)
  switch (code) {
    case 400:
    case 406:
      return as('VALIDATION', refusal ? message : `WhatsApp refused the request as invalid: ${message}`)
    case 401:
    case 403:
      return as('FORBIDDEN', `WhatsApp refused: not allowed (${message})`)
    case 404:
      return refusal ? as('NOT_FOUND', message) : as('NOT_FOUND', `WhatsApp found nothing: ${message}`)
    case 429:
      return as('RATE_LIMITED', `WhatsApp refused: rate limit reached (${message}); try again later`)
  }
  if (code >= 500) return as('UNAVAILABLE', `WhatsApp could not answer: ${message}`)
  return as('WHATSAPP_REFUSED', `WhatsApp refused: ${message}`)
}

/** An engine refusal of a message WhatsApp would not take → WHATSAPP_REFUSED with its code. */
export function refused(err: unknown) {
  if (err instanceof EngineRefusal)
    return new AppError('WHATSAPP_REFUSED', err.message, { whatsappCode: err.code })
  return mapped(err)
}

/** Runs an app-state patch: any engine refusal means the app state is not ready. */
export async function appState(run: () => Promise<void>) {
  try {
    await run()
  } catch (err) {
    if (err instanceof EngineRefusal) throw new AppError('APP_STATE_NOT_READY', err.message)
    throw mapped(err)
  }
}
