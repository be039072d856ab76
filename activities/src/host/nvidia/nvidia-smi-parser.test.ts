import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  classifyFailure,
  computeAppsQueryArgs,
  gpuProblems,
  gpuQueryArgs,
  parseComputeApps,
  parseGpuQuery,
} from './nvidia-smi-parser';

const fixture = (name: string) => readFileSync(path.join(__dirname, '__fixtures__', name), 'utf8');

describe('nvidia-smi query arguments', () => {
  it('ask for the columns of the captured outputs, csv without header and units', () => {
    const readme = fixture('README.md');
    const gpuArgs = gpuQueryArgs();
    expect(readme).toContain(`nvidia-smi ${gpuArgs.join(' ')}`);
    expect(readme).toContain(`nvidia-smi ${computeAppsQueryArgs().join(' ')}`);
  });
});

describe('parseGpuQuery', () => {
  it('parses 8 H100s', () => {
    const gpus = parseGpuQuery(fixture('h100x8.gpus.csv'));
    expect(gpus).toHaveLength(8);
    expect(gpus[0]).toEqual({
      index: 0,
      uuid: 'GPU-8f2c7d1e-3b4a-4c5d-9e6f-0a1b2c3d4e50',
      name: 'NVIDIA H100 80GB HBM3',
      pciBusId: '00000000:18:00.0',
      driverVersion: '580.159.04',
      memoryTotalMiB: 81559,
      memoryUsedMiB: 1,
      memoryFreeMiB: 81080,
      utilizationGpuPct: 0,
      utilizationMemoryPct: 0,
      temperatureC: 31,
      powerDrawW: 69.88,
      powerLimitW: 700,
      eccErrorsUncorrected: 0,
      faults: [],
    });
    expect(gpus.map((g) => g.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(gpuProblems(gpus)).toEqual([]);
  });

  it('skips the header and strips units of --format=csv', () => {
    const withHeader = parseGpuQuery(fixture('h100x8.gpus.header.csv'));
    const plain = parseGpuQuery(fixture('h100x8.gpus.csv')).slice(0, 2);
    expect(withHeader).toEqual(plain);
  });

  it('reads consumer cards whose ECC is [N/A] as null without calling it a fault', () => {
    const gpus = parseGpuQuery(fixture('rtx4090x4.gpus.csv'));
    expect(gpus).toHaveLength(4);
    expect(gpus.every((g) => g.eccErrorsUncorrected === null)).toBe(true);
    expect(gpus[0]).toMatchObject({
      name: 'NVIDIA GeForce RTX 4090',
      utilizationGpuPct: 97,
      memoryUsedMiB: 18234,
      powerDrawW: 431.27,
    });
    expect(gpuProblems(gpus)).toEqual([]);
  });

  it('keeps [N/A] readings as null and reports uncorrected ECC errors', () => {
    const gpus = parseGpuQuery(fixture('a100x4-one-na.gpus.csv'));
    expect(gpus[2]).toMatchObject({
      index: 2,
      utilizationGpuPct: null,
      utilizationMemoryPct: null,
      powerDrawW: null,
      powerLimitW: 400,
      temperatureC: 41,
      eccErrorsUncorrected: 2,
      faults: [],
    });
    expect(gpuProblems(gpus)).toEqual([
      'GPU 2 (GPU-2c3d4e5f-6071-4283-a495-1c2d3e4f5061) has 2 uncorrected ECC errors',
    ]);
  });

  it('turns error values such as [GPU requires reset] into faults, and [Not Supported] into null', () => {
    const line =
      '0, GPU-x, NVIDIA H100 80GB HBM3, 00000000:18:00.0, 580.159.04, 81559, [GPU requires reset], 81080, [Not Supported], 0, 31, 69.88, 700.00, 0';
    const [gpu] = parseGpuQuery(line);
    expect(gpu.memoryUsedMiB).toBeNull();
    expect(gpu.utilizationGpuPct).toBeNull();
    expect(gpuProblems([gpu])).toEqual(['GPU 0 (GPU-x) memory.used: [GPU requires reset]']);
  });

  it('calls an empty GPU list a problem and rejects output of another shape', () => {
    expect(gpuProblems(parseGpuQuery(''))).toEqual(['nvidia-smi reports no GPU']);
    expect(() => parseGpuQuery('0, GPU-x, name')).toThrow(/unexpected/);
  });
});

describe('parseComputeApps', () => {
  it('parses compute processes', () => {
    expect(parseComputeApps(fixture('h100x8.apps.csv'))).toEqual([
      {
        pid: 48213,
        processName: '/usr/bin/python3',
        gpuUuid: 'GPU-8f2c7d1e-3b4a-4c5d-9e6f-0a1b2c3d4e50',
        usedMemoryMiB: 62914,
      },
      {
        pid: 48214,
        processName: '/usr/bin/python3',
        gpuUuid: 'GPU-1d3e5f7a-9b2c-4d6e-8f1a-2b3c4d5e6f71',
        usedMemoryMiB: 62914,
      },
      {
        pid: 51877,
        processName: '/opt/conda/bin/python',
        gpuUuid: 'GPU-4a6b8c0d-2e5f-4a9b-1c4d-5e6f7a8b9ca4',
        usedMemoryMiB: 20480,
      },
    ]);
  });

  it('reads empty output as no process', () => {
    expect(fixture('apps-empty.csv')).toBe('');
    expect(parseComputeApps(fixture('apps-empty.csv'))).toEqual([]);
  });

  it('keeps a process name that contains the separator, and [N/A] memory as null', () => {
    expect(parseComputeApps('7, python, train, GPU-a, [N/A]\n')).toEqual([
      { pid: 7, processName: 'python, train', gpuUuid: 'GPU-a', usedMemoryMiB: null },
    ]);
  });
});

describe('classifyFailure', () => {
  it('recognises the driver-not-loaded output (exit 9)', () => {
    expect(classifyFailure(9, fixture('driver-not-loaded.txt'))).toBe('driver_missing');
    expect(classifyFailure(9, '')).toBe('driver_missing');
  });

  it('recognises a lost GPU (exit 15)', () => {
    expect(classifyFailure(15, fixture('gpu-lost.txt'))).toBe('gpu_lost');
    expect(classifyFailure(15, '')).toBe('gpu_lost');
  });

  it('treats a missing nvidia-smi as a missing driver and other exits as command failures', () => {
    expect(classifyFailure(127, 'spawn ENOENT')).toBe('driver_missing');
    expect(classifyFailure(2, 'Field "x" is not a valid field to query.')).toBe('command_failed');
    expect(classifyFailure(0, fixture('h100x8.gpus.csv'))).toBeNull();
  });
});
