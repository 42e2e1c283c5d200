import type { FastifyError } from 'fastify'
import { AppError, type ErrorCode } from '../services/errors.js'

export type ClassifiedError = { code: ErrorCode; message: string } | { code: 'INTERNAL'; message: string }

/**
 * Turns anything a route can throw into a domain code and a message safe to show a client.
 * Only AppErrors and Fastify's own 4xx errors keep their message; everything else is INTERNAL.
 */
export function classifyError(err: unknown): ClassifiedError {
  if (err instanceof AppError) return { code: err.code, message: err.message }
  const e = err as Partial<FastifyError> & { validation?: unknown[] }
  if (e.validation) return { code: 'VALIDATION', message: validationMessage(e as FastifyError) }
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'VALIDATION', message: 'malformed JSON body' }
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'PAYLOAD_TOO_LARGE', message: 'request body too large' }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'unsupported content type' }
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    if (e.statusCode === 413) return { code: 'PAYLOAD_TOO_LARGE', message: 'request body too large' }
    if (e.statusCode === 415) return { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'unsupported content type' }
    return { code: 'VALIDATION', message: e.message ?? 'bad request' }
  }
  return { code: 'INTERNAL', message: 'internal server error' }
}

/** "Phone is required", "body.expiration must be integer": names the field, not the schema path. */
function validationMessage(err: FastifyError): string {
  const first = err.validation?.[0]
  if (!first) return err.message
  const params = first.params as Record<string, unknown>
  const where = first.instancePath.replace(/^\//, '').replaceAll('/', '.')
  if (first.keyword === 'required') {
    const field = [where, String(params.missingProperty)].filter(Boolean).join('.')
    return `${field} is required`
  }
  const field = where || err.validationContext || 'body'
  if (first.keyword === 'enum') {
    return `${field} must be one of: ${(params.allowedValues as unknown[]).join(', ')}`
  }
  return `${field} ${first.message ?? 'is invalid'}`
}
