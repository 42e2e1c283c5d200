import { redactUrl } from '../../lib/redact.js'
import type { RefreshResult, SessionView } from '../../services/sessions.service.js'
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
    webhook: redactUrl(user.settings.webhook),
    events: user.settings.events.join(','),
    expiration: expiresIn,
    qrcode: qrImage,
    qrcode_text: session.qr ?? '',
    timestamp: new Date().toISOString(),
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(3)}s`

/** The refresh result in DIGIGO's flat shape. */
export function toRefreshData(
  result: RefreshResult,
  options: {
    sync_app_state: boolean
    refresh_prekeys: boolean
    refresh_privacy: boolean
    auto_recovery: boolean
  },
) {
  const { report } = result
  return {
    Details: 'Connection refresh completed',
    refreshSuccess: true,
    wasConnected: result.was.connected,
    wasLoggedIn: result.was.loggedIn,
    newConnected: true,
    newLoggedIn: true,
    jid: result.jid,
    sync_options: options,
    sync: {
      app_state: report.appState.map((c) => ({
        name: c.name,
        success: c.success,
        ...(c.error ? { error: c.error } : {}),
        duration: seconds(c.durationMs),
        recovery_requested: false,
      })),
      app_state_success: report.appState.every((c) => c.success),
      ...(report.preKeys
        ? {
            prekeys: {
              checked: report.preKeys.error === undefined,
              server_count: report.preKeys.serverCount,
              upload_triggered: report.preKeys.uploadTriggered,
              ...(report.preKeys.error ? { error: report.preKeys.error } : {}),
            },
          }
        : {}),
      ...(report.privacy ? { privacy_settings: report.privacy } : {}),
    },
    total_duration: seconds(result.durationMs),
  }
}
