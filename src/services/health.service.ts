import os from 'node:os'
import type { Database } from '../store/database.js'
import { MetaRepository } from '../store/meta.repository.js'

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy'

export interface DependencyHealth {
  status: 'up' | 'down'
  latency_ms: number
  open_connections: number
  in_use: number
  idle: number
  driver: string
  error: string | null
}

export interface HealthReport {
  status: HealthStatus
  uptimeSeconds: number
  runtime: {
    nodeVersion: string
    cpuCount: number
    rssBytes: number
    heapUsedBytes: number
    hostname: string
  }
  services: Record<string, DependencyHealth>
}

/** Probes each dependency; slow answers make the whole degraded, failures unhealthy. */
export class HealthService {
  private readonly meta: MetaRepository
  private readonly startedAt = Date.now()

  constructor(
    private readonly database: Database,
    private readonly slowMs = 500,
  ) {
    this.meta = new MetaRepository(database.db)
  }

  async check(): Promise<HealthReport> {
    const started = performance.now()
    let error: string | null = null
    try {
      await this.meta.ping()
    } catch (err) {
      error = (err as Error).message
    }
    const latency = Math.round((performance.now() - started) * 100) / 100
    const pool = this.database.poolStats()
    const database: DependencyHealth = {
      status: error ? 'down' : 'up',
      latency_ms: latency,
      open_connections: pool.open,
      in_use: pool.inUse,
      idle: pool.idle,
      driver: this.database.dialect,
      error,
    }
    const status: HealthStatus = error ? 'unhealthy' : latency > this.slowMs ? 'degraded' : 'healthy'
    const memory = process.memoryUsage()
    return {
      status,
      uptimeSeconds: Math.floor((Date.now() - this.startedAt) / 1000),
      runtime: {
        nodeVersion: process.version,
        cpuCount: os.availableParallelism(),
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
        hostname: os.hostname(),
      },
      services: { database },
    }
  }
}
