import dns from 'node:dns'
import { BlockList, isIP, type LookupFunction } from 'node:net'

/** Link-local and cloud-metadata targets: never reachable from any URL a user can set. */
const linkLocal = new BlockList()
linkLocal.addSubnet('169.254.0.0', 16, 'ipv4')
linkLocal.addSubnet('fe80::', 10, 'ipv6')
linkLocal.addAddress('100.100.100.200', 'ipv4') // Alibaba Cloud metadata
linkLocal.addAddress('fd00:ec2::254', 'ipv6') // AWS metadata over IPv6

const METADATA_HOSTS = new Set([
  'metadata.google.internal',
  'metadata',
  'instance-data',
  'metadata.azure.com',
])

/** Loopback, private, carrier-grade NAT, unspecified and unique-local ranges. */
const privateRanges = new BlockList()
privateRanges.addSubnet('0.0.0.0', 8, 'ipv4')
privateRanges.addSubnet('10.0.0.0', 8, 'ipv4')
privateRanges.addSubnet('100.64.0.0', 10, 'ipv4')
privateRanges.addSubnet('127.0.0.0', 8, 'ipv4')
privateRanges.addSubnet('172.16.0.0', 12, 'ipv4')
privateRanges.addSubnet('192.168.0.0', 16, 'ipv4')
privateRanges.addAddress('::', 'ipv6')
privateRanges.addAddress('::1', 'ipv6')
privateRanges.addSubnet('fc00::', 7, 'ipv6')

export type AddressClass = 'public' | 'private' | 'link-local'

/** Classifies an IP literal (IPv4-mapped IPv6 is classified as its IPv4 address). */
export function classifyAddress(address: string): AddressClass {
  let ip = address.replace(/^\[|\]$/g, '')
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  if (mapped?.[1]) ip = mapped[1]
  const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4'
  if (linkLocal.check(ip, family)) return 'link-local'
  if (privateRanges.check(ip, family)) return 'private'
  return 'public'
}

export interface UrlRule {
  schemes: readonly string[]
  /** Refuse loopback and private ranges too (media by URL; multi-tenant webhooks). */
  blockPrivate: boolean
}

/**
 * Checks a URL's form and literal host against the rule; returns why it is refused, or
 * undefined when it may be used. Host names are checked again after DNS at connect time.
 */
export function urlProblem(raw: string, rule: UrlRule): string | undefined {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return 'is not a valid URL'
  }
  const scheme = url.protocol.replace(/:$/, '')
  if (!rule.schemes.includes(scheme)) return `must use ${rule.schemes.join(' or ')}`
  const host = url.hostname.toLowerCase().replace(/\.$/, '')
  if (host === '') return 'has no host'
  if (METADATA_HOSTS.has(host)) return 'points at a cloud metadata address'
  const literal = host.replace(/^\[|\]$/g, '')
  const kind = isIP(literal)
    ? classifyAddress(literal)
    : host === 'localhost' || host.endsWith('.localhost')
      ? 'private'
      : 'public'
  if (kind === 'link-local') return 'points at a link-local or metadata address'
  if (kind === 'private' && rule.blockPrivate) return 'points at a private or loopback address'
  return undefined
}

/**
 * A DNS lookup for sockets that refuses names resolving to link-local or metadata addresses, and
 * to loopback or private ones when `blockPrivate` (the literal-host check's twin after DNS).
 */
export function guardedLookup(blockPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0)
      const list = addresses as dns.LookupAddress[]
      const bad = list.find((a) => {
        const kind = classifyAddress(a.address)
        return kind === 'link-local' || (blockPrivate && kind === 'private')
      })
      if (bad) return callback(new Error(`${hostname} resolves to a refused address (${bad.address})`), '', 0)
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list)
      return callback(null, list[0]!.address, list[0]!.family)
    })
  }
}
