import type { ZapEvent } from '../events/event.js'
import type { Outbox } from '../events/outbox.js'
import { skipped } from '../events/skips.js'
import type { UsersService } from './users.service.js'

export interface StreamRequest {
  /** One user's events; undefined: every user's (admin), minus those who opted out. */
  userId: string | undefined
  /** Replay from after this position (the last `seq` the client saw); absent: only new events. */
  after?: number | undefined
  types?: string[] | undefined
}

/**
 * A live stream of events read from the outbox: a client that reconnects with the last `seq` it
 * saw gets everything after it, then new events as they are written. Nothing is lost between.
 */
export class EventStreamService {
  constructor(
    private readonly outbox: Outbox,
    private readonly users: UsersService,
  ) {}

  /** Sends events in order until `stop()`; `send` resolving means the client has it. */
  async open(request: StreamRequest, send: (event: ZapEvent) => Promise<void>): Promise<{ stop(): void }> {
    let cursor = request.after ?? (await this.outbox.lastSeq())
    let stopped = false
    let running: Promise<void> | undefined
    let again = false
    const pump = async () => {
      do {
        again = false
        for (;;) {
          const page = await this.outbox.list({
            userId: request.userId,
            afterSeq: cursor,
            types: request.types,
            limit: 500,
          })
          if (page.length === 0 || stopped) break
          const users = new Map((await this.users.list()).map((u) => [u.id, u]))
          for (const event of page) {
            if (stopped) return
            cursor = event.seq
            const user = users.get(event.userId)
            if (!user || skipped(user.settings, event)) continue
            if (!request.userId && user.settings.globalTransportSkips.skipGlobalWebSocket) continue
            await send(event)
          }
        }
      } while (again && !stopped)
    }
    const wake = () => {
      if (stopped) return
      if (running) {
        again = true
        return
      }
      running = pump().finally(() => {
        running = undefined
        if (again) wake()
      })
      void running.catch(() => undefined)
    }
    const unsubscribe = this.outbox.onAppend(wake)
    const poller = setInterval(wake, 1_000)
    poller.unref()
    wake()
    return {
      stop: () => {
        stopped = true
        unsubscribe()
        clearInterval(poller)
      },
    }
  }
}
