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

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'AppError'
  }
}

export const validation = (message: string) => new AppError('VALIDATION', message)
