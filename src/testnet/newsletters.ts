import type { BinaryNode } from 'baileys'
import type { ChatConnection } from './connection.js'
import type { TestNetwork } from './network.js'

/** Newsletters (channels): their state and the `newsletter` / `w:mex` IQs that read and change it. */
export class Newsletters {
  constructor(private readonly net: TestNetwork) {}

  /** Answers a `newsletter` or `w:mex` IQ; returns the result's children (undefined: empty). */
  answer(_conn: ChatConnection, iq: BinaryNode): BinaryNode[] | undefined {
    this.net.log.trace({ xmlns: iq.attrs.xmlns }, 'newsletter iq answered with an empty result')
    return undefined
  }
}
