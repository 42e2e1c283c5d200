import assert from 'node:assert/strict'
import fs from 'node:fs'
import { describe, it } from 'node:test'
import { Validator } from '@seriousme/openapi-schema-validator'
import { generateOpenApi } from '../scripts/openapi.js'

type Operation = {
  tags?: string[]
  security?: unknown[]
  requestBody?: unknown
  responses?: Record<string, unknown>
}

describe('OpenAPI document', async () => {
  const text = await generateOpenApi()
  const doc = JSON.parse(text) as { paths: Record<string, Record<string, Operation>> }

  it('is a valid OpenAPI 3 document', async () => {
    const result = await new Validator().validate(structuredClone(doc))
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2))
  })

  it('matches the committed openapi.json (run `npm run openapi` after changing routes)', () => {
    assert.equal(fs.readFileSync('openapi.json', 'utf8'), text)
  })

  it('gives every operation a tag, a success response and its error responses', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
    )
    assert.ok(operations.length >= 9)
    for (const { name, op } of operations) {
      assert.ok(op.tags?.length, `${name} has no tag`)
      const statuses = Object.keys(op.responses ?? {})
      assert.ok(
        statuses.some((s) => s.startsWith('2')),
        `${name} has no 2xx response`,
      )
      if (op.security?.length) assert.ok(statuses.includes('401'), `${name} lacks 401`)
      if (op.requestBody) assert.ok(statuses.includes('400'), `${name} lacks 400`)
    }
  })

  it('declares the auth schemes of both token kinds', () => {
    const schemes = (
      JSON.parse(text) as { components: { securitySchemes: Record<string, { name?: string }> } }
    ).components.securitySchemes
    assert.equal(schemes.AdminAuth?.name, 'Authorization')
    assert.equal(schemes.ApiKeyAuth?.name, 'token')
  })
})
