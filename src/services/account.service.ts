import type { PictureVia } from '../engine/account.js'
import type { NetworkTarget } from '../engine/port.js'
import type { SessionDeps } from './deps.js'
import { type CheckLimits, LookupsService } from './lookups.service.js'
import { PrivacyService } from './privacy.service.js'
import { ProfileService } from './profile.service.js'
import { type ProxyInput, ProxyService } from './proxy.service.js'

export interface AccountOptions {
  /** Numbers one lookup request may hold, and per sliding minute per user. */
  checkLimits: CheckLimits
  /** Where sessions connect: the proxy test reaches the same host. */
  network: NetworkTarget
}

/**
 * The account itself (`services.account`): one-liners into its parts, lookups of other accounts
 * (rate limited), its own profile, presence and address book, its privacy and blocklist, its proxy.
 */
export class AccountService {
  private readonly lookups: LookupsService
  private readonly profile: ProfileService
  private readonly privacySettings: PrivacyService
  private readonly proxy: ProxyService

  constructor(
    deps: SessionDeps,
    options: AccountOptions = { checkLimits: { perRequest: 50, perMinute: 300 }, network: {} },
  ) {
    this.lookups = new LookupsService(deps, options.checkLimits)
    this.profile = new ProfileService(deps)
    this.privacySettings = new PrivacyService(deps)
    this.proxy = new ProxyService(deps, options.network)
  }

  // ── lookups ──
  check(userId: string, phones: string[]) {
    return this.lookups.check(userId, phones)
  }
  info(userId: string, phones: string[]) {
    return this.lookups.info(userId, phones)
  }
  devices(userId: string, phones: string[]) {
    return this.lookups.devices(userId, phones)
  }
  avatar(userId: string, input: string, preview: boolean, via?: PictureVia) {
    return this.lookups.avatar(userId, input, preview, via)
  }
  businessProfile(userId: string, phone: string) {
    return this.lookups.businessProfile(userId, phone)
  }

  // ── own profile, presence, address book ──
  setPushName(userId: string, name: string) {
    return this.profile.setPushName(userId, name)
  }
  ownAbout(userId: string) {
    return this.profile.ownAbout(userId)
  }
  setAbout(userId: string, text: string) {
    return this.profile.setAbout(userId, text)
  }
  setPhoto(userId: string, image: string) {
    return this.profile.setPhoto(userId, image)
  }
  removePhoto(userId: string) {
    return this.profile.removePhoto(userId)
  }
  saveContact(userId: string, phone: string, fullName: string) {
    return this.profile.saveContact(userId, phone, fullName)
  }
  removeContact(userId: string, phone: string) {
    return this.profile.removeContact(userId, phone)
  }
  setPresence(userId: string, type: string, to: string | undefined) {
    return this.profile.setPresence(userId, type, to)
  }
  presenceConfig(userId: string, enabled?: boolean) {
    return this.profile.presenceConfig(userId, enabled)
  }

  // ── privacy and blocklist ──
  privacy(userId: string, refresh = true) {
    return this.privacySettings.privacy(userId, refresh)
  }
  setPrivacy(userId: string, setting: string, value: string) {
    return this.privacySettings.setPrivacy(userId, setting, value)
  }
  setDisappearingTimer(userId: string, timer: string) {
    return this.privacySettings.setDisappearingTimer(userId, timer)
  }
  blocklist(userId: string) {
    return this.privacySettings.blocklist(userId)
  }
  updateBlocklist(userId: string, action: string, users: string[]) {
    return this.privacySettings.updateBlocklist(userId, action, users)
  }

  // ── proxy ──
  proxyConfig(userId: string) {
    return this.proxy.proxyConfig(userId)
  }
  setProxyConfig(userId: string, input: ProxyInput & { bypass?: string[] | undefined }) {
    return this.proxy.setProxyConfig(userId, input)
  }
  testProxy(input: ProxyInput) {
    return this.proxy.testProxy(input)
  }
}
