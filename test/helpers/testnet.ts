import { after, before } from 'node:test'
import { eventually, NetworkHarness } from '../../src/testnet/harness.js'
import type { TestApp } from './app.js'

/** Starts a test network before the suite and closes it after; read `.net` inside tests. */
export function useNetwork(): { net: NetworkHarness } {
  const ctx = {} as { net: NetworkHarness }
  before(async () => {
    ctx.net = await NetworkHarness.start()
  })
  after(async () => {
    await ctx.net?.close()
  })
  return ctx
}

/**
 * Creates `phone`'s account on the network, connects the user's session and links it by QR, as
 * a phone would; resolves once the session reports it is logged in.
 */
export async function linkSession(
  t: TestApp,
  net: NetworkHarness,
  token: string,
  phone: string,
  name = 'Shop',
) {
  const headers = { token }
  net.network.accounts.create(phone, name)
  const connect = await t.app.inject({
    method: 'POST',
    url: '/session/connect',
    headers,
    payload: { Immediate: false },
  })
  if (connect.statusCode !== 200) throw new Error(`connect: ${connect.statusCode} ${connect.body}`)
  const status = async () =>
    (await t.app.inject({ method: 'GET', url: '/session/status', headers })).json().data
  net.network.link(phone, (await status()).qrcode_text)
  await eventually('logged in', async () => (await status()).LoggedIn || undefined, 30_000)
}
