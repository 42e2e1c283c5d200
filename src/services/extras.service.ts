import type { SessionDeps } from './deps.js'

/** Calls, status posts, labels, business, devices and sync. */
export class ExtrasService {
  constructor(protected readonly deps: SessionDeps) {}
}
