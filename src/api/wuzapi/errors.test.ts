import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AppError } from '../../services/errors.js'
import { STATUS_BY_CODE, wuzapiError } from './errors.js'

describe('wuzapi error mapping', () => {
  it('maps every domain code to a status', () => {
    assert.equal(STATUS_BY_CODE.VALIDATION, 400)
    assert.equal(STATUS_BY_CODE.UNAUTHORIZED, 401)
    assert.equal(STATUS_BY_CODE.USER_EXPIRED, 403)
    assert.equal(STATUS_BY_CODE.USER_NOT_FOUND, 404)
    assert.equal(STATUS_BY_CODE.TOKEN_TAKEN, 409)
    assert.equal(STATUS_BY_CODE.PAYLOAD_TOO_LARGE, 413)
    assert.equal(STATUS_BY_CODE.INTERNAL, 500)
  })

  it('keeps domain messages and hides everything else behind a fixed 5xx body', () => {
    assert.deepEqual(wuzapiError(new AppError('USER_NOT_FOUND', 'user not found'), 'r1'), {
      status: 404,
      body: { code: 404, error: 'user not found', success: false },
    })
    const leaky = Object.assign(new Error('SELECT * FROM users WHERE token = secret'), {
      stack: 'at db.js:1',
    })
    assert.deepEqual(wuzapiError(leaky, 'r2'), {
      status: 500,
      body: { code: 500, error: 'internal server error', success: false, request_id: 'r2' },
    })
  })
})
