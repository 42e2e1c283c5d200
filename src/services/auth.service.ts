import { safeEqual } from '../crypto/cipher.js'
import { AppError } from './errors.js'
import type { User } from './users.model.js'
import type { UsersService } from './users.service.js'

/** Who may call: the admin by the admin token, a user by its own token. */
export class AuthService {
  constructor(
    private readonly adminToken: string,
    private readonly users: UsersService,
    private readonly metricsToken?: string,
  ) {}

  requireAdmin(credential: string | undefined): void {
    if (!credential || !safeEqual(credential, this.adminToken)) {
      throw new AppError('ADMIN_UNAUTHORIZED', 'unauthorized - admin token required')
    }
  }

  /** `/metrics` is open unless a metrics token is configured. */
  requireMetrics(credential: string | undefined): void {
    if (this.metricsToken && !safeEqual(credential ?? '', this.metricsToken)) {
      throw new AppError('UNAUTHORIZED', 'unauthorized')
    }
  }

  /**
   * A Mega-api instance by its key, with its token as the Bearer credential: an unknown key is
   * USER_NOT_FOUND, a wrong token UNAUTHORIZED (the key is checked first, as Mega-api does).
   */
  async requireInstance(key: string, credential: string | undefined): Promise<User> {
    const user = await this.users.getByInstanceKey(key)
    if (!credential || !safeEqual(credential, user.token)) throw new AppError('UNAUTHORIZED', 'invalid token')
    return this.users.authenticate(credential)
  }

  requireUser(credential: string | undefined): Promise<User> {
    if (!credential) return Promise.reject(new AppError('UNAUTHORIZED', 'unauthorized'))
    return this.users.authenticate(credential)
  }
}
