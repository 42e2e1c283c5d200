import { after, before } from 'node:test'
import { NetworkHarness } from '../../src/testnet/harness.js'

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
