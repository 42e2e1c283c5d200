/** The URL with the password of its user-info replaced by `***`, for logs and responses. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@/]+)@/, '//$1:***@')
}
