import { BusinessService, type OrderItem } from './business.service.js'
import { CallsService } from './calls.service.js'
import type { SessionDeps } from './deps.js'
import { DevicesService } from './devices.service.js'
import { type InstancesQuery, InstancesService } from './instances.service.js'
import { type LabelInput, LabelsService } from './labels.service.js'
import { StatusPostsService, type StatusRequest } from './status-posts.service.js'
import { type FullHistoryConfig, type HistoryRequest, SyncService } from './sync.service.js'

export type { OrderItem } from './business.service.js'
export type { RejectType } from './calls.service.js'
export { platformOf } from './devices.service.js'
export type { StatusRequest } from './status-posts.service.js'

/**
 * Calls, status posts, labels, business, devices, sync and the admin's instance list
 * (`services.extras`): one-liners into their services.
 */
export class ExtrasService {
  private readonly calls: CallsService
  private readonly statusPosts: StatusPostsService
  private readonly labels: LabelsService
  private readonly business: BusinessService
  private readonly devices: DevicesService
  private readonly sync: SyncService
  private readonly instanceList: InstancesService

  constructor(deps: SessionDeps) {
    this.calls = new CallsService(deps)
    this.statusPosts = new StatusPostsService(deps)
    this.labels = new LabelsService(deps)
    this.business = new BusinessService(deps)
    this.devices = new DevicesService(deps)
    this.sync = new SyncService(deps)
    this.instanceList = new InstancesService(deps)
  }

  rejectCall(userId: string, callId: string, callFrom: string, message: string | undefined) {
    return this.calls.rejectCall(userId, callId, callFrom, message)
  }

  postStatus(userId: string, request: StatusRequest, id?: string, recipients?: string[]) {
    return this.statusPosts.postStatus(userId, request, id, recipients)
  }

  // ── labels ──
  manageLabel(userId: string, input: LabelInput) {
    return this.labels.manageLabel(userId, input)
  }
  labelChat(userId: string, chat: string, labelId: string, apply: boolean) {
    return this.labels.labelChat(userId, chat, labelId, apply)
  }
  labelMessage(userId: string, chat: string, messageId: string, labelId: string, apply: boolean) {
    return this.labels.labelMessage(userId, chat, messageId, labelId, apply)
  }

  // ── business ──
  bots(userId: string) {
    return this.business.bots(userId)
  }
  botProfiles(userId: string, jids: string[]) {
    return this.business.botProfiles(userId, jids)
  }
  contactQr(userId: string, revoke: boolean) {
    return this.business.contactQr(userId, revoke)
  }
  resolveBusinessLink(userId: string, link: string) {
    return this.business.resolveBusinessLink(userId, link)
  }
  sendOrder(userId: string, phone: string, items: OrderItem[], notes: string | undefined) {
    return this.business.sendOrder(userId, phone, items, notes)
  }

  // ── devices ──
  userDevices(userId: string, jids: string[], timeoutMs?: number) {
    return this.devices.userDevices(userId, jids, timeoutMs)
  }
  userDevicesWithin(userId: string, jids: string[]) {
    return this.devices.userDevicesWithin(userId, jids)
  }
  linkedDevices(userId: string) {
    return this.devices.linkedDevices(userId)
  }
  devicePlatform(device: number) {
    return this.devices.devicePlatform(device)
  }

  // ── sync ──
  syncAppState(userId: string, full: boolean) {
    return this.sync.syncAppState(userId, full)
  }
  requestHistory(userId: string, input: HistoryRequest) {
    return this.sync.requestHistory(userId, input)
  }
  requestFullHistory(userId: string, config: FullHistoryConfig) {
    return this.sync.requestFullHistory(userId, config)
  }

  // ── admin ──
  instances(query: InstancesQuery) {
    return this.instanceList.instances(query)
  }
}
