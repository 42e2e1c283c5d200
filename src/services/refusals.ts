import { EngineRefusal } from '../engine/port.js'
import { AppError } from './errors.js'

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

/** An engine refusal → VALIDATION (400), NOT_FOUND (404) or WHATSAPP_REFUSED; other errors as they are. */
export function mapped(err: unknown): unknown {
  if (!(err instanceof EngineRefusal)) return err
  if (err.code === 400) return new AppError('VALIDATION', err.message)
  if (err.code === 404) return new AppError('NOT_FOUND', err.message)
  return new AppError('WHATSAPP_REFUSED', `WhatsApp refused: ${err.message}`, { whatsappCode: err.code })
}

/** An engine refusal of a message WhatsApp would not take → WHATSAPP_REFUSED with its code. */
export function refused(err: unknown) {
  if (err instanceof EngineRefusal)
    return new AppError('WHATSAPP_REFUSED', err.message, { whatsappCode: err.code })
  return err
}

/** Runs an app-state patch: any engine refusal means the app state is not ready. */
export async function appState(run: () => Promise<void>) {
  try {
    await run()
  } catch (err) {
    if (err instanceof EngineRefusal) throw new AppError('APP_STATE_NOT_READY', err.message)
    throw err
  }
}
