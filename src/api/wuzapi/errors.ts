import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { classifyError } from '../../server/http-errors.js'
import { AppError, type ErrorCode } from '../../services/errors.js'
import { mapped } from '../../services/refusals.js'

/** Domain code → HTTP status for the wuzapi dialect. */
export const STATUS_BY_CODE: Record<ErrorCode | 'INTERNAL', number> = {
  VALIDATION: 400,
  NO_CHANGES: 400,
  UNAUTHORIZED: 401,
  ADMIN_UNAUTHORIZED: 401,
  USER_EXPIRED: 403,
  USER_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  TOKEN_TAKEN: 409,
  CONCURRENT_UPDATE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAVAILABLE: 503,
  SESSION_NOT_READY: 409,
  SESSION_LOCKED: 409,
  ALREADY_LOGGED_IN: 409,
  NOT_PAIRED: 400,
  NOT_ON_WHATSAPP: 404,
  WHATSAPP_REFUSED: 422,
  MESSAGE_NOT_FOUND: 404,
  UNSAFE_URL: 400,
  MEDIA_UNAVAILABLE: 400,
  HISTORY_DISABLED: 501,
  IDENTITY_UNKNOWN: 404,
  SEND_CAP_REACHED: 429,
  APP_STATE_NOT_READY: 409,
  DELIVERY_NOT_FOUND: 404,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  TIMEOUT: 408,
  INTERNAL: 500,
}

/** The envelope body and status for any error, as the wuzapi family answers it. */
export function wuzapiError(raw: unknown, requestId: string) {
  // A WhatsApp refusal or Baileys error a service let through still gets its own status (not 500).
  const err = mapped(raw)
  const { code, message } = classifyError(err)
  const status = STATUS_BY_CODE[code]
  const whatsappCode = err instanceof AppError ? err.details.whatsappCode : undefined
  const body =
    status >= 500 && code === 'INTERNAL'
      ? { code: status, error: 'internal server error', success: false as const, request_id: requestId }
      : {
          code: status,
          error: message,
          success: false as const,
          ...(whatsappCode ? { whatsapp_code: whatsappCode } : {}),
        }
  return { status, body }
}

export function wuzapiErrorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const { status, body } = wuzapiError(err, String(request.id))
  if (status >= 500 && status !== 501) request.log.error({ err }, 'request failed')
  else request.log.info({ code: body.error }, `request refused: ${status}`)
  return reply.status(status).send(body)
}
