import type { Device } from './accounts.js'
import type { ChatConnection } from './connection.js'

/** What can be done to a device, and what its client sees (see docs/testnet.md). */
export type Fault =
  | { kind: 'drop' }
  | { kind: 'stream-error'; code: number }
  | { kind: 'silent' }
  | { kind: 'refuse-send'; code?: number; count?: number }
  | { kind: 'delay'; ms: number }
  | { kind: 'duplicate'; count?: number }
  | { kind: 'corrupt'; count?: number }
  | { kind: 'lose'; count?: number }
  | { kind: 'clear' }

export const FAULT_KINDS = [
  'drop',
  'stream-error',
  'silent',
  'refuse-send',
  'delay',
  'duplicate',
  'corrupt',
  'lose',
  'clear',
] as const

/** Codes a stream error may carry, and how each is sent. */
const LOGIN_FAILURES = new Set([402, 403, 405])

/**
 * Applies a fault to a device. `unlink` removes the device from its account (the phone unlinked
 * it: 401). Returns nothing; the client's reaction is the observable result.
 */
export function applyFault(device: Device, fault: Fault, unlink: () => void): void {
  const conn: ChatConnection | undefined = device.connection
  switch (fault.kind) {
    case 'drop':
      conn?.terminate()
      return
    case 'silent':
      if (conn) conn.silent = true
      return
    case 'refuse-send':
      device.faults.refuse = { count: fault.count ?? 1, code: fault.code ?? 463 }
      return
    case 'delay':
      device.faults.delayMs = fault.ms
      return
    case 'duplicate':
      device.faults.duplicate = fault.count ?? 1
      return
    case 'corrupt':
      device.faults.corrupt = fault.count ?? 1
      return
    case 'lose':
      device.faults.lose = fault.count ?? 1
      return
    case 'clear':
      device.faults = {}
      return
    case 'stream-error':
      if (fault.code === 401) {
        unlink()
        conn?.streamError(401)
      } else if (fault.code === 440) {
        conn?.send({
          tag: 'stream:error',
          attrs: {},
          content: [{ tag: 'conflict', attrs: { type: 'replaced' } }],
        })
        setTimeout(() => conn?.close(), 50)
      } else if (LOGIN_FAILURES.has(fault.code)) {
        device.faults.loginFailure = fault.code
        conn?.send({ tag: 'failure', attrs: { reason: String(fault.code), location: 'local' } })
        setTimeout(() => conn?.close(), 50)
      } else {
        conn?.streamError(fault.code)
      }
  }
}
