import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createCommandRunner } from '@remotegpu/activities/host';
import { heartbeatGpusFromQuery, readHeartbeatGpus } from './gpu-metrics';

const fixtures = path.resolve(__dirname, '..', '..', 'activities', 'src', 'host', 'nvidia', '__fixtures__');
const fixture = (name: string) => readFileSync(path.join(fixtures, name), 'utf8');

describe('heartbeat GPU metrics', () => {
  it('maps the H100 fixture to the heartbeat shape', () => {
    const gpus = heartbeatGpusFromQuery(fixture('h100x8.gpus.csv'));
    expect(gpus).toHaveLength(8);
    expect(gpus[0]).toEqual({
      index: 0,
      uuid: 'GPU-8f2c7d1e-3b4a-4c5d-9e6f-0a1b2c3d4e50',
      name: 'NVIDIA H100 80GB HBM3',
      mem_total_mib: 81559,
      mem_used_mib: 1,
      util_pct: 0,
      temperature_c: 31,
      power_w: 69.88,
      ecc_uncorrected: 0,
    });
  });

  it('turns [N/A] into null', () => {
    const gpus = heartbeatGpusFromQuery(fixture('a100x4-one-na.gpus.csv'));
    expect(gpus[2]).toMatchObject({ index: 2, util_pct: null, power_w: null, temperature_c: 41, ecc_uncorrected: 2 });
    expect(heartbeatGpusFromQuery(fixture('rtx4090x4.gpus.csv'))[0]).toMatchObject({
      util_pct: 97,
      mem_used_mib: 18234,
      ecc_uncorrected: null,
    });
  });

  it('reports no GPUs when nvidia-smi is missing or fails', async () => {
    const commands = createCommandRunner();
    await expect(readHeartbeatGpus(commands, '/nonexistent/nvidia-smi')).resolves.toEqual([]);
    await expect(readHeartbeatGpus(commands, '/bin/false')).resolves.toEqual([]);
  });
});
