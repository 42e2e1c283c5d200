import { jidDecode } from 'baileys'
import type { ExtrasPort, UserDevice } from '../extras.js'
import type { AdapterContext } from './context.js'
import { normJid as norm } from './stanzas.js'

/** Devices through Baileys' usync device lists: other users', and this account's own. */
export function devicesOf(ctx: AdapterContext): Pick<ExtrasPort, 'userDevices' | 'ownDevices' | 'ownDevice'> {
  const { socket } = ctx
  return {
    userDevices: async (users) => toUserDevices(await socket.getUSyncDevices(users, false, false)),

    ownDevices: async () => {
      const me = ctx.me()
      const mine = jidDecode(me.id)
      const others = toUserDevices(await socket.getUSyncDevices([norm(me.id)], false, false))
      const self = { user: norm(me.id), device: mine?.device ?? 0, jid: me.id }
      return [...others.filter((d) => d.device !== self.device), self].sort((a, b) => a.device - b.device)
    },

    ownDevice: () => jidDecode(ctx.me().id)?.device ?? 0,
  }
}

const toUserDevices = (
  list: { user: string; device?: number; jid?: string; server?: string }[],
): UserDevice[] =>
  list.map((d) => {
    const server = d.server ?? (d.jid ? jidDecode(d.jid)?.server : undefined) ?? 's.whatsapp.net'
    return {
      user: `${d.user}@${server}`,
      device: d.device ?? 0,
      jid: d.jid ?? `${d.user}${d.device ? `:${d.device}` : ''}@${server}`,
    }
  })
