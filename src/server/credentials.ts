import type { FastifyRequest } from 'fastify'

/** The value of an `Authorization` header with or without its `Bearer ` scheme. */
export function authorizationValue(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization?.trim()
  if (!header) return undefined
  return header.replace(/^bearer\s+/i, '').trim() || undefined
}

/** A user token from the `Token` header (any case) or `Authorization: Bearer …`. */
export function userToken(request: FastifyRequest): string | undefined {
  const token = request.headers.token
  const value = (Array.isArray(token) ? token[0] : token)?.trim()
  if (value) return value
  const header = request.headers.authorization?.trim()
  return header && /^bearer\s+/i.test(header) ? authorizationValue(request) : undefined
}
