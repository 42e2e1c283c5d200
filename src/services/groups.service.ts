import type { SessionDeps } from './deps.js'

/** Groups and communities. */
export class GroupsService {
  constructor(protected readonly deps: SessionDeps) {}
}
