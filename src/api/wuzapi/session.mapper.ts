import type { SessionView } from '../../services/sessions.service.js'
import type { User } from '../../services/users.model.js'

const iso = (d: Date | undefined) => (d ? d.toISOString() : null)

/** Session + user → the status `data` of wuzapi and DIGIGO. */
export function toStatusData(session: SessionView, user: User, expiresIn: number, qrImage: string) {
  const connected = session.state === 'connected'
  const socketOpen = session.hasClient && (session.state === 'connected' || session.state === 'qr')
  return {
    Connected: socketOpen,
    LoggedIn: connected,
    connected: socketOpen,
    loggedIn: connected,
    hasClient: session.hasClient,
    connectionHealth: connected
      ? 'connected'
      : socketOpen
        ? 'connected_not_logged'
        : session.hasClient
          ? 'disconnected'
          : 'no_client',
    state: session.state,
    since: session.since.toISOString(),
    lastInboundAt: iso(session.lastInboundAt),
    reconnects: session.reconnects,
    lastSuccessfulConnect: session.lastConnectedAt ? Math.floor(session.lastConnectedAt.getTime() / 1000) : 0,
    autoReconnectErrors: session.autoReconnectErrors,
    enableAutoReconnect: user.settings.autoReconnect,
    id: user.id,
    name: user.name,
    jid: session.jid ?? user.jid,
    lid: session.lid ?? user.lid,
    webhook: user.settings.webhook,
    events: user.settings.events.join(','),
    expiration: expiresIn,
    qrcode: qrImage,
    qrcode_text: session.qr ?? '',
    timestamp: new Date().toISOString(),
  }
}
