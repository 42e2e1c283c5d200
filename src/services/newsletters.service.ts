import type { SessionDeps } from './deps.js'

/** Newsletters (channels). */
export class NewslettersService {
  constructor(protected readonly deps: SessionDeps) {}
}
