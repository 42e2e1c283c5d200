import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { classifyError } from '../../server/http-errors.js'
import { AppError, type ErrorCode } from '../../services/errors.js'

/**
 * Domain code → HTTP status in the Mega-api dialect: its documented 401 "instance not connected
 * to WhatsApp" and 403 "number not on WhatsApp"; 400, 404, 409 and 429 for what its docs leave
 * undocumented (never a 5xx for bad input).
 */
const STATUS: Partial<Record<ErrorCode | 'INTERNAL', number>> = {
  VALIDATION: 400,
  NO_CHANGES: 400,
  UNSAFE_URL: 400,
  MEDIA_UNAVAILABLE: 400,
  NOT_PAIRED: 400,
  UNAUTHORIZED: 401,
  ADMIN_UNAUTHORIZED: 401,
  SESSION_NOT_READY: 401,
  USER_EXPIRED: 403,
  NOT_ON_WHATSAPP: 403,
  FORBIDDEN: 403,
  ALREADY_LOGGED_IN: 403,
  USER_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  MESSAGE_NOT_FOUND: 404,
  IDENTITY_UNKNOWN: 404,
  NOT_FOUND: 404,
  DELIVERY_NOT_FOUND: 404,
  TIMEOUT: 408,
  TOKEN_TAKEN: 409,
  CONCURRENT_UPDATE: 409,
  SESSION_LOCKED: 409,
  APP_STATE_NOT_READY: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  WHATSAPP_REFUSED: 422,
  SEND_CAP_REACHED: 429,
  RATE_LIMITED: 429,
  HISTORY_DISABLED: 501,
  UNAVAILABLE: 503,
  INTERNAL: 500,
}

/** Messages Mega-api clients know, for the statuses its docs name. */
const MESSAGES: Partial<Record<ErrorCode, string>> = {
  SESSION_NOT_READY: 'Instance not connected to WhatsApp',
  NOT_ON_WHATSAPP: 'WhatsApp number does not exist',
  USER_NOT_FOUND: 'Instance not found',
  ALREADY_LOGGED_IN: 'User is already logged in',
}

/** Status and body `{error: true, message}` for any error. */
export function megaapiError(err: unknown, requestId: string) {
  const { code, message } = classifyError(err)
  const status = STATUS[code] ?? 500
  const whatsappCode = err instanceof AppError ? err.details.whatsappCode : undefined
  const text =
    status >= 500 && code === 'INTERNAL' ? 'internal server error' : (MESSAGES[code as ErrorCode] ?? message)
  return {
    status,
    body: {
      error: true as const,
      message: text,
      ...(code === 'SESSION_NOT_READY' || code === 'NOT_ON_WHATSAPP' ? { detail: message } : {}),
      ...(whatsappCode ? { whatsapp_code: whatsappCode } : {}),
      ...(status >= 500 && code === 'INTERNAL' ? { request_id: requestId } : {}),
    },
  }
}

export function megaapiErrorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const { status, body } = megaapiError(err, String(request.id))
  if (status >= 500 && status !== 501 && status !== 503) request.log.error({ err }, 'request failed')
  else request.log.info({ message: body.message }, `request refused: ${status}`)
  return reply.status(status).send(body)
}
