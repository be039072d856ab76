// The fleet-health sweep (Temporal Schedule `fleet-health`): liveness from the heartbeats in Redis with
// hysteresis (rules/fleet-health), host_offline alerts, and the GPU health gate over the latest metrics:
// an idle machine failing it goes to `maintenance` until a passing check returns it to `idle`.
import type { EntityManager } from '@mikro-orm/core';
import {
  decideSweep,
  evaluateGpuGate,
  GPU_GATE_FAILURE_KINDS,
  GPU_GATE_NOTE_PREFIX,
  type GpuGatePolicy,
  type LivenessPolicy,
} from '@remotegpu/core';
import {
  FLEET_ALERT_KINDS,
  FLEET_REALTIME_CACHE_KEY,
  MACHINE_EVENTS_CHANNEL,
  machineHeartbeatKey,
  machineLivenessKey,
  machineMetricsKey,
  type AlertEvent,
  type FleetHealthInput,
  type FleetHealthResult,
  type MachineMetricsSnapshot,
  type MachineStatusEvent,
} from '@remotegpu/core/contracts';
import { alertEvent, publishAlertEvents, resolveFleetAlerts, upsertFleetAlert } from './alert-store';
import type { FleetActivityDeps } from './deps';
import { prefixPattern, rows, table } from './sql';

interface SweptMachine {
  id: string;
  status: 'online' | 'offline';
  allocation_status: string;
  gpu_count: number;
  health_notes: string | null;
  inventory: number[] | null;
  open_kinds: string[] | null;
}

const GATE_KINDS: readonly string[] = GPU_GATE_FAILURE_KINDS;

export async function sweepFleetHealth(
  deps: FleetActivityDeps,
  policy: LivenessPolicy,
  gatePolicy: GpuGatePolicy,
  input: FleetHealthInput,
): Promise<FleetHealthResult> {
  const em = deps.orm.em.fork();
  const now = deps.clock.now();
  const nowMs = now.getTime();
  const machines = await rows<SweptMachine>(
    em,
    `select m.id, m.status, m.allocation_status, m.gpu_count, m.health_notes,
       (select array_agg(g.gpu_index) from ${table(em, 'gpu_devices')} g where g.machine_id = m.id) as inventory,
       (select array_agg(distinct a.kind) from ${table(em, 'alerts')} a
         where a.machine_id = m.id and a.status <> 'resolved') as open_kinds
     from ${table(em, 'machines')} m
     where m.deleted_at is null and m.id like ?`,
    [prefixPattern(input.machineIdPrefix)],
  );
  const result: FleetHealthResult = {
    checked: machines.length,
    markedOffline: [],
    alertsRaised: 0,
    toMaintenance: [],
    backToIdle: [],
  };
  if (machines.length === 0) return result;

  const read = deps.redis.pipeline();
  for (const m of machines) {
    read.get(machineHeartbeatKey(m.id));
    read.get(machineMetricsKey(m.id));
    read.hgetall(machineLivenessKey(m.id));
  }
  const replies = (await read.exec()) ?? [];
  const reply = (i: number): unknown => {
    const [err, value] = replies[i] ?? [null, null];
    if (err) throw err;
    return value;
  };

  const events: AlertEvent[] = [];
  const machineEvents: MachineStatusEvent[] = [];
  const write = deps.redis.pipeline();
  for (const [i, m] of machines.entries()) {
    const heartbeat = reply(i * 3) as string | null;
    const snapshotJson = reply(i * 3 + 1) as string | null;
    const counters = reply(i * 3 + 2) as Record<string, string>;
    const decision = decideSweep(
      {
        status: m.status,
        counters: { staleSweeps: Number(counters.stale_sweeps ?? 0), freshBeats: Number(counters.fresh_beats ?? 0) },
        lastHeartbeatMs: heartbeat === null ? null : Number(heartbeat),
        nowMs,
      },
      policy,
    );
    const openKinds = new Set(m.open_kinds ?? []);
    let offline = m.status === 'offline';
    if (decision.markOffline && (await markOffline(em, m.id, now))) {
      offline = true;
      result.markedOffline.push(m.id);
      machineEvents.push({ machine_id: m.id, status: 'offline', reason: 'heartbeat_timeout', at: now.toISOString() });
    }
    // `offline` mirrors the database status for the heartbeat path (it caches credential rows).
    write.hset(machineLivenessKey(m.id), {
      stale_sweeps: decision.counters.staleSweeps,
      fresh_beats: decision.counters.freshBeats,
      offline: offline ? 1 : 0,
    });
    if (decision.raiseAlert) {
      const ageS = heartbeat === null ? null : Math.round((nowMs - Number(heartbeat)) / 1000);
      const { alert, created } = await upsertFleetAlert(em, {
        machineId: m.id,
        kind: FLEET_ALERT_KINDS.hostOffline,
        severity: 'critical',
        message: `no heartbeat for ${ageS ?? '?'} s`,
        details: {
          last_heartbeat_ms: heartbeat === null ? null : Number(heartbeat),
          stale_sweeps: decision.counters.staleSweeps,
        },
        now,
      });
      result.alertsRaised += 1;
      if (created) events.push(alertEvent('raised', alert, now));
    }
    if (decision.stale) continue;

    // Fresh: a host_offline left open by a race with the heartbeat path is closed here.
    if (openKinds.has(FLEET_ALERT_KINDS.hostOffline) && m.status === 'online') {
      for (const a of await resolveFleetAlerts(em, m.id, [FLEET_ALERT_KINDS.hostOffline], now)) {
        events.push(alertEvent('resolved', a, now));
      }
    }
    if (snapshotJson === null) continue;
    const snapshot = JSON.parse(snapshotJson) as MachineMetricsSnapshot;
    const gate = evaluateGpuGate(
      { inventoryCount: Number(m.gpu_count), inventoryIndexes: m.inventory ?? [], gpus: snapshot.gpus },
      gatePolicy,
    );
    for (const failure of gate.failures) {
      const { alert, created } = await upsertFleetAlert(em, { machineId: m.id, ...failure, now });
      result.alertsRaised += 1;
      if (created) events.push(alertEvent('raised', alert, now));
    }
    const cleared = GATE_KINDS.filter((k) => openKinds.has(k) && !gate.failures.some((f) => f.kind === k));
    for (const a of await resolveFleetAlerts(em, m.id, cleared, now)) events.push(alertEvent('resolved', a, now));

    if (!gate.passed && m.allocation_status === 'idle') {
      const note = `${GPU_GATE_NOTE_PREFIX} ${gate.failures.map((f) => f.message).join('; ')}`;
      if (await gateToMaintenance(em, m.id, note, now)) {
        result.toMaintenance.push(m.id);
        machineEvents.push({
          machine_id: m.id,
          allocation_status: 'maintenance',
          reason: 'gpu_gate',
          at: now.toISOString(),
        });
      }
    } else if (
      gate.passed &&
      m.allocation_status === 'maintenance' &&
      m.health_notes?.startsWith(GPU_GATE_NOTE_PREFIX)
    ) {
      if (await gateBackToIdle(em, m.id, now)) {
        result.backToIdle.push(m.id);
        machineEvents.push({
          machine_id: m.id,
          allocation_status: 'idle',
          reason: 'gpu_gate_passed',
          at: now.toISOString(),
        });
      }
    }
  }
  for (const e of machineEvents) write.publish(MACHINE_EVENTS_CHANNEL, JSON.stringify(e));
  if (machineEvents.length > 0) write.del(FLEET_REALTIME_CACHE_KEY);
  await write.exec();
  await publishAlertEvents(deps.redis, events);
  if (result.markedOffline.length || result.toMaintenance.length || result.backToIdle.length) {
    deps.log?.info(
      { offline: result.markedOffline, maintenance: result.toMaintenance, idle: result.backToIdle },
      'fleet health sweep changed machines',
    );
  }
  return result;
}

async function markOffline(em: EntityManager, machineId: string, now: Date): Promise<boolean> {
  // Conditional: a heartbeat that brought the machine online meanwhile wins.
  const changed = await rows(
    em,
    `update ${table(em, 'machines')} set status = 'offline', updated_at = ?
     where id = ? and status = 'online' returning id`,
    [now, machineId],
  );
  return changed.length > 0;
}

async function gateToMaintenance(em: EntityManager, machineId: string, note: string, now: Date): Promise<boolean> {
  // Only from idle, in one statement: an allocation reserving the machine concurrently (also
  // `where allocation_status = 'idle'`) and the gate cannot both win.
  const changed = await rows(
    em,
    `update ${table(em, 'machines')}
     set allocation_status = 'maintenance', health_status = 'unhealthy', health_notes = ?, updated_at = ?
     where id = ? and allocation_status = 'idle' returning id`,
    [note, now, machineId],
  );
  return changed.length > 0;
}

async function gateBackToIdle(em: EntityManager, machineId: string, now: Date): Promise<boolean> {
  // Only a machine the gate itself put into maintenance; an operator's maintenance stays.
  const changed = await rows(
    em,
    `update ${table(em, 'machines')}
     set allocation_status = 'idle', health_status = 'healthy', health_notes = null, updated_at = ?
     where id = ? and allocation_status = 'maintenance' and health_notes like ? returning id`,
    [now, machineId, `${GPU_GATE_NOTE_PREFIX}%`],
  );
  return changed.length > 0;
}
