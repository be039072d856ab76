// The heartbeat body (core/contracts AgentHeartbeatBody) validated at the edge; bounds keep one bad
// agent from writing absurd values into the time series.
import { z } from 'zod';

const metric = (max: number) => z.number().finite().min(0).max(max);

export const heartbeatGpuSchema = z.object({
  index: z.number().int().min(0).max(63),
  uuid: z.string().max(128),
  name: z.string().max(255),
  util_pct: metric(100).nullable(),
  mem_used_mib: metric(10_000_000).nullable(),
  mem_total_mib: metric(10_000_000),
  temperature_c: z.number().finite().min(-50).max(200).nullable(),
  power_w: metric(100_000).nullable(),
  ecc_uncorrected: z.number().int().min(0).nullable().optional(),
});

export const heartbeatBodySchema = z.object({
  machine_id: z.string().min(1).max(128),
  ts: z.number().int().positive(),
  agent_version: z.string().max(64),
  metrics: z.object({
    cpu_util: metric(100),
    mem_used_pct: metric(100),
    disk_used_pct: metric(100),
    gpus: z.array(heartbeatGpuSchema).max(64),
  }),
});

export type HeartbeatBody = z.infer<typeof heartbeatBodySchema>;
