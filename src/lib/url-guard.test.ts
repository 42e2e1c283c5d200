import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { classifyAddress, urlProblem } from './url-guard.js'

describe('url guard', () => {
  const web = { schemes: ['http', 'https'], blockPrivate: false }
  const strict = { schemes: ['http', 'https'], blockPrivate: true }

  it('classifies addresses', () => {
    assert.equal(classifyAddress('8.8.8.8'), 'public')
    assert.equal(classifyAddress('169.254.169.254'), 'link-local')
    assert.equal(classifyAddress('fe80::1'), 'link-local')
    assert.equal(classifyAddress('::ffff:169.254.169.254'), 'link-local')
    assert.equal(classifyAddress('10.0.0.1'), 'private')
    assert.equal(classifyAddress('127.0.0.1'), 'private')
    assert.equal(classifyAddress('::1'), 'private')
    assert.equal(classifyAddress('fd12::1'), 'private')
    assert.equal(classifyAddress('::ffff:192.168.0.1'), 'private')
  })

  it('allows private targets unless told otherwise, never link-local or metadata', () => {
    assert.equal(urlProblem('http://10.0.0.5:5678/hook', web), undefined)
    assert.equal(urlProblem('http://localhost:8080/', web), undefined)
    assert.equal(urlProblem('http://10.0.0.5/', strict), 'points at a private or loopback address')
    assert.equal(urlProblem('http://localhost/', strict), 'points at a private or loopback address')
    assert.equal(urlProblem('http://[::1]/', strict), 'points at a private or loopback address')
    assert.equal(
      urlProblem('http://169.254.169.254/latest/meta-data', web),
      'points at a link-local or metadata address',
    )
    assert.equal(urlProblem('http://[fe80::1]/', web), 'points at a link-local or metadata address')
    assert.equal(urlProblem('http://metadata.google.internal/', web), 'points at a cloud metadata address')
    assert.equal(urlProblem('https://example.com/x', strict), undefined)
  })

  it('refuses other schemes and non-URLs', () => {
    assert.equal(urlProblem('file:///etc/passwd', web), 'must use http or https')
    assert.equal(urlProblem('gopher://x', web), 'must use http or https')
    assert.equal(urlProblem('nonsense', web), 'is not a valid URL')
  })
})
