/** Stable domain error codes; each dialect maps them to its own status and envelope. */
export type ErrorCode =
  | 'VALIDATION'
  | 'UNAUTHORIZED'
  | 'ADMIN_UNAUTHORIZED'
  | 'USER_EXPIRED'
  | 'USER_NOT_FOUND'
  | 'TOKEN_TAKEN'
  | 'CONCURRENT_UPDATE'
  | 'NO_CHANGES'
  | 'ROUTE_NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNAVAILABLE'
  | 'SESSION_NOT_READY'
  | 'SESSION_LOCKED'
  | 'ALREADY_LOGGED_IN'
  | 'NOT_PAIRED'
  | 'NOT_ON_WHATSAPP'
  | 'WHATSAPP_REFUSED'
  | 'MESSAGE_NOT_FOUND'
  | 'UNSAFE_URL'
  | 'MEDIA_UNAVAILABLE'
  | 'HISTORY_DISABLED'
  | 'IDENTITY_UNKNOWN'
  | 'SEND_CAP_REACHED'
  | 'APP_STATE_NOT_READY'
  | 'DELIVERY_NOT_FOUND'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'RATE_LIMITED'
  | 'TIMEOUT'

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** WhatsApp's own error code, when WhatsApp refused. */
    readonly details: { whatsappCode?: number } = {},
  ) {
    super(message)
    this.name = 'AppError'
  }
}

export const validation = (message: string) => new AppError('VALIDATION', message)
