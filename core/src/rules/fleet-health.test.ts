import {
  decideHeartbeat,
  decideSweep,
  evaluateGpuGate,
  gpuUtilBucket,
  type LivenessCounters,
  type LivenessPolicy,
} from './fleet-health';

const policy: LivenessPolicy = { offlineAfterMs: 20_000, alertAfterSweeps: 2, onlineAfterBeats: 2 };
const zero: LivenessCounters = { staleSweeps: 0, freshBeats: 0 };

describe('decideSweep', () => {
  it('a fresh heartbeat is not stale and resets the stale streak', () => {
    const d = decideSweep(
      { status: 'online', counters: { staleSweeps: 1, freshBeats: 3 }, lastHeartbeatMs: 95_000, nowMs: 100_000 },
      policy,
    );
    expect(d).toEqual({
      stale: false,
      counters: { staleSweeps: 0, freshBeats: 3 },
      markOffline: false,
      raiseAlert: false,
    });
  });

  it('exactly at the threshold is still fresh', () => {
    expect(
      decideSweep({ status: 'online', counters: zero, lastHeartbeatMs: 80_000, nowMs: 100_000 }, policy).stale,
    ).toBe(false);
  });

  it('the first stale sweep marks offline without an alert, the second raises it', () => {
    const first = decideSweep({ status: 'online', counters: zero, lastHeartbeatMs: 70_000, nowMs: 100_000 }, policy);
    expect(first).toEqual({
      stale: true,
      counters: { staleSweeps: 1, freshBeats: 0 },
      markOffline: true,
      raiseAlert: false,
    });
    const second = decideSweep(
      { status: 'offline', counters: first.counters, lastHeartbeatMs: 70_000, nowMs: 110_000 },
      policy,
    );
    expect(second).toEqual({
      stale: true,
      counters: { staleSweeps: 2, freshBeats: 0 },
      markOffline: false,
      raiseAlert: true,
    });
    const third = decideSweep(
      { status: 'offline', counters: second.counters, lastHeartbeatMs: 70_000, nowMs: 120_000 },
      policy,
    );
    expect(third.raiseAlert).toBe(true);
    expect(third.counters.staleSweeps).toBe(3);
  });

  it('never raises for a machine that has never sent a heartbeat', () => {
    let counters = zero;
    for (let i = 0; i < 5; i++) {
      const d = decideSweep(
        { status: 'offline', counters, lastHeartbeatMs: null, nowMs: 100_000 + i * 10_000 },
        policy,
      );
      expect(d.stale).toBe(true);
      expect(d.raiseAlert).toBe(false);
      expect(d.markOffline).toBe(false);
      counters = d.counters;
    }
  });

  it('a host missing every other heartbeat (10 s gaps) never goes stale', () => {
    let counters = zero;
    let lastBeat = 0;
    for (let t = 0; t <= 300_000; t += 5_000) {
      if ((t / 5_000) % 2 === 0) lastBeat = t;
      if (t % 10_000 === 0) {
        const d = decideSweep({ status: 'online', counters, lastHeartbeatMs: lastBeat, nowMs: t }, policy);
        expect(d.markOffline).toBe(false);
        expect(d.raiseAlert).toBe(false);
        counters = d.counters;
      }
    }
  });

  it('a single short outage (one stale sweep) marks offline but raises no alert', () => {
    const s1 = decideSweep({ status: 'online', counters: zero, lastHeartbeatMs: 0, nowMs: 25_000 }, policy);
    expect(s1.markOffline).toBe(true);
    const hb = decideHeartbeat(
      { status: 'offline', counters: s1.counters, previousHeartbeatMs: 0, nowMs: 30_000 },
      policy,
    );
    const s2 = decideSweep(
      { status: 'offline', counters: hb.counters, lastHeartbeatMs: 30_000, nowMs: 35_000 },
      policy,
    );
    expect(s2.raiseAlert).toBe(false);
    expect(s2.counters.staleSweeps).toBe(0);
  });
});

describe('decideHeartbeat', () => {
  it('an offline machine needs two consecutive fresh heartbeats to come online', () => {
    const first = decideHeartbeat(
      { status: 'offline', counters: { staleSweeps: 3, freshBeats: 0 }, previousHeartbeatMs: 0, nowMs: 60_000 },
      policy,
    );
    expect(first).toEqual({ counters: { staleSweeps: 3, freshBeats: 1 }, markOnline: false });
    const second = decideHeartbeat(
      { status: 'offline', counters: first.counters, previousHeartbeatMs: 60_000, nowMs: 65_000 },
      policy,
    );
    expect(second).toEqual({ counters: { staleSweeps: 3, freshBeats: 2 }, markOnline: true });
  });

  it('a gap longer than the threshold restarts the streak', () => {
    const d = decideHeartbeat(
      { status: 'offline', counters: { staleSweeps: 0, freshBeats: 1 }, previousHeartbeatMs: 0, nowMs: 20_001 },
      policy,
    );
    expect(d).toEqual({ counters: { staleSweeps: 0, freshBeats: 1 }, markOnline: false });
  });

  it('a first-ever heartbeat starts the streak at one', () => {
    const d = decideHeartbeat({ status: 'offline', counters: zero, previousHeartbeatMs: null, nowMs: 1 }, policy);
    expect(d.counters.freshBeats).toBe(1);
    expect(d.markOnline).toBe(false);
  });

  it('an online machine is never re-marked online', () => {
    const d = decideHeartbeat(
      { status: 'online', counters: { staleSweeps: 0, freshBeats: 9 }, previousHeartbeatMs: 0, nowMs: 5_000 },
      policy,
    );
    expect(d.markOnline).toBe(false);
    expect(d.counters.freshBeats).toBe(10);
  });

  it('onlineAfterBeats = 1 turns online on the first heartbeat', () => {
    const d = decideHeartbeat(
      { status: 'offline', counters: zero, previousHeartbeatMs: null, nowMs: 1 },
      { ...policy, onlineAfterBeats: 1 },
    );
    expect(d.markOnline).toBe(true);
  });
});

describe('evaluateGpuGate', () => {
  const gpu = (
    index: number,
    extra: Partial<{ temperature_c: number | null; ecc_uncorrected: number | null }> = {},
  ) => ({
    index,
    temperature_c: 50,
    ecc_uncorrected: 0,
    ...extra,
  });

  it('passes a healthy machine', () => {
    expect(evaluateGpuGate({ inventoryCount: 2, inventoryIndexes: [0, 1], gpus: [gpu(0), gpu(1)] })).toEqual({
      passed: true,
      failures: [],
    });
  });

  it('fails when fewer GPUs are visible than the inventory, naming the lost ones', () => {
    const r = evaluateGpuGate({ inventoryCount: 4, inventoryIndexes: [0, 1, 2, 3], gpus: [gpu(0), gpu(2)] });
    expect(r.passed).toBe(false);
    expect(r.failures.map((f) => f.kind)).toEqual(['gpu_count_low', 'gpu_lost']);
    expect(r.failures[1].details).toEqual({ lost_indexes: [1, 3] });
  });

  it('all GPUs gone (nvidia-smi failing) fails with count_low', () => {
    const r = evaluateGpuGate({ inventoryCount: 8, inventoryIndexes: [], gpus: [] });
    expect(r.failures.map((f) => f.kind)).toEqual(['gpu_count_low']);
  });

  it('ECC above the threshold and temperature above the threshold fail', () => {
    const r = evaluateGpuGate(
      {
        inventoryCount: 2,
        inventoryIndexes: [0, 1],
        gpus: [gpu(0, { ecc_uncorrected: 3 }), gpu(1, { temperature_c: 95 })],
      },
      { maxEccUncorrected: 2, maxTemperatureC: 90 },
    );
    expect(r.failures.map((f) => f.kind)).toEqual(['gpu_ecc_errors', 'gpu_overheat']);
  });

  it('ECC at the threshold, unknown temperature and missing ECC pass', () => {
    const r = evaluateGpuGate(
      {
        inventoryCount: 2,
        inventoryIndexes: [0, 1],
        gpus: [gpu(0, { ecc_uncorrected: 2 }), gpu(1, { temperature_c: null, ecc_uncorrected: null })],
      },
      { maxEccUncorrected: 2, maxTemperatureC: 90 },
    );
    expect(r.passed).toBe(true);
  });

  it('more GPUs than inventory is fine', () => {
    expect(evaluateGpuGate({ inventoryCount: 1, inventoryIndexes: [0], gpus: [gpu(0), gpu(1)] }).passed).toBe(true);
  });
});

describe('gpuUtilBucket', () => {
  it.each([
    [null, 'unknown'],
    [0, 'idle'],
    [4.9, 'idle'],
    [5, 'low'],
    [39, 'low'],
    [40, 'medium'],
    [80, 'high'],
    [100, 'high'],
  ] as const)('%p → %s', (util, bucket) => {
    expect(gpuUtilBucket(util)).toBe(bucket);
  });
});
