import type { BinaryNode } from 'baileys'
import type { ChatConnection } from './connection.js'
import type { TestNetwork } from './network.js'

/** Not an IQ this module answers: the general IQ handler goes on. */
export const PASS = Symbol('pass')

/**
 * IQs of calls, business profiles and catalogs, labels, devices and sync; answers the result's
 * children, undefined for an empty result, or PASS when the IQ is not one of these.
 */
export function answerExtras(
  _net: TestNetwork,
  _conn: ChatConnection,
  _iq: BinaryNode,
): BinaryNode[] | undefined | typeof PASS {
  return PASS
}

/** Stanzas other than IQs, messages, receipts and presences (`call`…); false: not handled. */
export function onExtraNode(_net: TestNetwork, _conn: ChatConnection, _node: BinaryNode): boolean {
  return false
}
