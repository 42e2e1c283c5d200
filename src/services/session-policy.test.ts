import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { backoffMs, decideOnClose } from './session-policy.js'

describe('session close policy', () => {
  const cases: [number | undefined, string, string, string, string | undefined][] = [
    [undefined, '', 'disconnected', 'none', 'Disconnected'],
    [515, 'Stream Errored (restart required)', 'reconnecting', 'reconnect-now', undefined],
    [440, 'Stream Errored (conflict)', 'replaced', 'stop', 'StreamReplaced'],
    [401, 'Connection Failure', 'logged_out', 'purge', 'LoggedOut'],
    [403, 'Connection Failure', 'logged_out', 'purge', 'LoggedOut'],
    [406, 'Connection Failure', 'logged_out', 'purge', 'LoggedOut'],
    [402, 'Connection Failure', 'banned', 'stop', 'TemporaryBan'],
    [405, 'Connection Failure', 'outdated', 'stop', 'ClientOutdated'],
    [411, 'Multi-device beta not joined', 'failed', 'stop', 'ConnectFailure'],
    [408, 'QR refs attempts ended', 'disconnected', 'stop', 'QRTimeout'],
    [408, 'Connection was lost', 'reconnecting', 'reconnect-backoff', 'KeepAliveTimeout'],
    [408, 'Timed Out', 'reconnecting', 'reconnect-backoff', 'Disconnected'],
    [428, 'Connection Terminated', 'reconnecting', 'reconnect-backoff', 'Disconnected'],
    [500, 'bad session', 'reconnecting', 'reconnect-backoff', 'Disconnected'],
    [503, 'unavailable', 'reconnecting', 'reconnect-backoff', 'Disconnected'],
    [409, 'Connection Failure', 'reconnecting', 'reconnect-backoff', 'ConnectFailure'],
  ]
  for (const [code, message, state, action, event] of cases) {
    it(`${code ?? 'ended by us'} (${message || '-'}) → ${state}, ${action}`, () => {
      assert.deepEqual(decideOnClose(code, message), { state, action, event })
    })
  }

  it('backs off exponentially with jitter and a cap', () => {
    assert.equal(
      backoffMs(0, 1000, 60_000, () => 0.5),
      1000,
    )
    assert.equal(
      backoffMs(3, 1000, 60_000, () => 0.5),
      8000,
    )
    assert.equal(
      backoffMs(30, 1000, 60_000, () => 0.5),
      60_000,
    )
    assert.equal(
      backoffMs(2, 1000, 60_000, () => 0),
      2000,
    )
    assert.equal(
      backoffMs(2, 1000, 60_000, () => 0.999),
      5996,
    )
  })
})
