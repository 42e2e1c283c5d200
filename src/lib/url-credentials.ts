/**
 * A URL's user-info (`user:pass@`), kept apart from the rest so that it can be stored encrypted
 * while the URL itself is not. Both parts stay percent-encoded as they were written.
 */
export function splitCredentials(url: string): { url: string; credentials: string } {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*)@/i.exec(url)
  if (!match) return { url, credentials: '' }
  return { url: `${match[1]}${url.slice(match[0].length)}`, credentials: match[2] ?? '' }
}

/** The URL with `credentials` put back as its user-info (none: the URL as it is). */
export function joinCredentials(url: string, credentials: string): string {
  if (!credentials) return url
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)/i, `$1${credentials}@`)
}
