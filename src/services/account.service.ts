import type { SessionDeps } from './deps.js'

/** The account itself: profile, contacts, privacy, blocklist, presence. */
export class AccountService {
  constructor(protected readonly deps: SessionDeps) {}
}
