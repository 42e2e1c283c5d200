import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before } from 'node:test'

export interface Receiver<T> {
  /** Every JSON body posted so far, in arrival order. */
  calls: T[]
  /** The receiver's URL with this path. */
  url(path?: string): string
}

/** A webhook receiver on a loopback port for a suite: keeps each JSON body, answers 200. */
export function useReceiver<T = Record<string, unknown>>(): Receiver<T> {
  const calls: T[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      calls.push(JSON.parse(Buffer.concat(chunks).toString()) as T)
      res.writeHead(200).end()
    })
  })
  before(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)))
  after(() => server.close())
  return {
    calls,
    url: (path = '/hook') => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
  }
}
