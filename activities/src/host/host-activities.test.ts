// The activities' decisions with fake host interfaces (unit tests only; the real host is exercised
// in host-activities.int.test.ts): what runs, with which argv, and what is refused.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CommandOptions, CommandResult, FileInfo, HostActivityDeps, HostFileSystem } from './deps';
import { createHostActivities } from './index';

interface Call {
  file: string;
  args: string[];
  options: CommandOptions;
}

type Handler = (args: string[], options: CommandOptions) => Partial<CommandResult> | undefined;

function fakeHost(handlers: Record<string, Handler>, files: Record<string, string | FileInfo> = {}) {
  const calls: Call[] = [];
  let now = 0;
  const fs: HostFileSystem = {
    async lstat(p) {
      const f = files[p];
      if (f === undefined) return null;
      return typeof f === 'string'
        ? { isFile: true, isDirectory: false, isSymbolicLink: false, uid: 0, gid: 0, mode: 0o644 }
        : f;
    },
    async readFile(p) {
      const f = files[p];
      if (typeof f !== 'string') throw new Error(`ENOENT ${p}`);
      return f;
    },
    writeFileAtomic: jest.fn(async () => undefined),
    mkdir: jest.fn(async () => undefined),
    chown: jest.fn(async () => undefined),
    chmod: jest.fn(async () => undefined),
    readdir: jest.fn(async () => ['a', 'b']),
    remove: jest.fn(async () => undefined),
    realpath: async (p) => p,
    statfs: async () => ({ totalBytes: 100, freeBytes: 40, availableBytes: 30 }),
  };
  const deps: HostActivityDeps = {
    commands: {
      async run(file, args, options = {}) {
        calls.push({ file, args: [...args], options });
        const result = handlers[file]?.([...args], options) ?? {};
        return { stdout: '', stderr: '', exitCode: 0, ...result };
      },
    },
    fs,
    clock: { now: () => new Date(now), sleep: async (ms) => void (now += ms) },
    tcp: { probe: jest.fn(async () => ({ open: true, latencyMs: 1 })) },
    randomBytes: (size) => Buffer.alloc(size, 7),
    heartbeat: () => undefined,
    config: {
      machineId: 'm-1',
      agentVersion: '1.0.0',
      nvidiaSmiPath: '/usr/bin/nvidia-smi',
      dataRoots: ['/home', '/data/tenants'],
    },
  };
  return { activities: createHostActivities(deps), calls, fs };
}

const passwd = (name: string, uid: number, shell = '/bin/bash') => `${name}:x:${uid}:${uid}::/home/${name}:${shell}\n`;
const getent =
  (entries: Record<string, { passwd: string; shadow: string }>): Handler =>
  ([db, name]) => {
    const entry = entries[name];
    if (!entry) return { exitCode: 2 };
    return { stdout: db === 'passwd' ? entry.passwd : `${name}:${entry.shadow}:20000:0:99999:7:::\n` };
  };
const dir: FileInfo = { isFile: false, isDirectory: true, isSymbolicLink: false, uid: 1001, gid: 1001, mode: 0o755 };
const link: FileInfo = { ...dir, isDirectory: false, isSymbolicLink: true };

describe('setUserPassword', () => {
  it('sends the password to chpasswd on stdin only and keeps a locked account locked', async () => {
    const { activities, calls } = fakeHost({ getent: getent({ bob: { passwd: passwd('bob', 1001), shadow: '!*' } }) });
    const result = await activities.setUserPassword({ username: 'bob', password: 'S3cret-Passw0rd' });
    expect(result).toEqual({ username: 'bob', generated: false, length: 15 });
    const chpasswd = calls.find((c) => c.file === 'chpasswd');
    expect(chpasswd?.args).toEqual([]);
    expect(chpasswd?.options.input).toBe('bob:S3cret-Passw0rd\n');
    expect(calls.flatMap((c) => c.args).join(' ')).not.toContain('S3cret');
    expect(calls.find((c) => c.file === 'usermod')?.args).toEqual(['-L', '--', 'bob']);
  });

  it('generates a password it does not return, unless asked for a reset', async () => {
    const { activities, calls } = fakeHost({ getent: getent({ bob: { passwd: passwd('bob', 1001), shadow: '*' } }) });
    const generated = await activities.setUserPassword({ username: 'bob' });
    expect(generated).toEqual({ username: 'bob', generated: true, length: 24 });
    expect(JSON.stringify(generated)).not.toContain(Buffer.alloc(18, 7).toString('base64url'));
    expect(calls.some((c) => c.file === 'usermod')).toBe(false);
    const reset = await activities.resetUserPassword({ username: 'bob' });
    expect(reset.password).toBe(Buffer.alloc(18, 7).toString('base64url'));
  });

  it('refuses a user that does not exist', async () => {
    const { activities, calls } = fakeHost({ getent: getent({}) });
    await expect(activities.setUserPassword({ username: 'ghost', password: 'S3cret-Passw0rd' })).rejects.toMatchObject({
      type: 'INVALID_INPUT',
    });
    expect(calls.some((c) => c.file === 'chpasswd')).toBe(false);
  });
});

describe('tenant accounts', () => {
  it('never modifies a system account, whatever its name', async () => {
    const { activities, calls } = fakeHost({ getent: getent({ svc: { passwd: passwd('svc', 998), shadow: '!' } }) });
    await expect(activities.ensureTenantUser({ username: 'svc' })).rejects.toMatchObject({
      type: 'INVALID_INPUT',
      nonRetryable: true,
    });
    await expect(activities.disableTenantUser({ username: 'svc' })).rejects.toMatchObject({ type: 'INVALID_INPUT' });
    await expect(activities.killUserProcesses({ username: 'svc' })).rejects.toMatchObject({ type: 'INVALID_INPUT' });
    expect(calls.map((c) => c.file)).toEqual(['getent', 'getent', 'getent']);
  });

  it('creates a missing user with useradd argv (no shell) and makes keys usable', async () => {
    let created = false;
    const { activities, calls } = fakeHost(
      {
        getent: (args) =>
          created ? getent({ new1: { passwd: passwd('new1', 1005), shadow: '!' } })(args, {}) : { exitCode: 2 },
        useradd: () => {
          created = true;
          return {};
        },
      },
      { '/home/new1': dir },
    );
    expect(await activities.ensureTenantUser({ username: 'new1' })).toEqual({
      username: 'new1',
      uid: 1005,
      homeDir: '/home/new1',
      created: true,
    });
    expect(calls.find((c) => c.file === 'useradd')?.args).toEqual(['-m', '-s', '/bin/bash', '--', 'new1']);
    expect(calls.find((c) => c.file === 'usermod')?.args).toEqual(['-p', '*', '--', 'new1']);
  });
});

describe('ssh keys', () => {
  const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIITY1iyuTtf3xvlKMjsSTmi/8mKfnQfdUvO99QIG4YYA t';

  it('refuses to write through a planted ~/.ssh link', async () => {
    const { activities, fs } = fakeHost(
      { getent: getent({ bob: { passwd: passwd('bob', 1001), shadow: '*' } }) },
      { '/home/bob': dir, '/home/bob/.ssh': link },
    );
    await expect(activities.injectSshKeys({ username: 'bob', publicKeys: [key] })).rejects.toThrow(
      /refusing to follow/,
    );
    expect(fs.writeFileAtomic).not.toHaveBeenCalled();
  });

  it('writes a merged authorized_keys owned by the user with mode 0600', async () => {
    const { activities, fs } = fakeHost(
      { getent: getent({ bob: { passwd: passwd('bob', 1001), shadow: '*' } }) },
      { '/home/bob': dir, '/home/bob/.ssh': { ...dir, mode: 0o700 }, '/home/bob/.ssh/authorized_keys': '# keep\n' },
    );
    expect(await activities.injectSshKeys({ username: 'bob', publicKeys: [key] })).toEqual({
      added: 1,
      alreadyPresent: 0,
    });
    expect(fs.writeFileAtomic).toHaveBeenCalledWith('/home/bob/.ssh/authorized_keys', `# keep\n${key}\n`, {
      uid: 1001,
      gid: 1001,
      mode: 0o600,
    });
  });
});

describe('killUserProcesses', () => {
  it('sends TERM, waits the grace, then KILL until none is left', async () => {
    let alive = ['  10 S sleep', '  11 S python3'];
    const { activities, calls } = fakeHost({
      getent: getent({ bob: { passwd: passwd('bob', 1001), shadow: '*' } }),
      ps: () => (alive.length ? { stdout: alive.join('\n') } : { exitCode: 1 }),
      pkill: ([signal]) => {
        alive = signal === '-TERM' ? alive.slice(1) : [];
        return {};
      },
    });
    expect(await activities.killUserProcesses({ username: 'bob', graceMs: 500 })).toEqual({ killed: 2, remaining: 0 });
    expect(calls.filter((c) => c.file === 'pkill').map((c) => c.args)).toEqual([
      ['-TERM', '-u', '1001'],
      ['-KILL', '-u', '1001'],
    ]);
  });

  it('fails (retryable) when processes survive SIGKILL', async () => {
    const { activities } = fakeHost({
      getent: getent({ bob: { passwd: passwd('bob', 1001), shadow: '*' } }),
      ps: () => ({ stdout: '  10 D stuck-in-io' }),
    });
    await expect(activities.killUserProcesses({ username: 'bob', graceMs: 0 })).rejects.toMatchObject({
      type: 'HOST_COMMAND_FAILED',
      nonRetryable: false,
    });
  });
});

describe('wipeUserData', () => {
  it('refuses a tenant directory that is a link or has a mount inside', async () => {
    const mountinfo = '40 22 0:35 / /data/tenants/bob/ds rw - fuse.s3fs s3fs rw\n';
    const withLink = fakeHost({ getent: getent({}) }, { '/proc/self/mountinfo': '', '/home/bob': link });
    await expect(withLink.activities.wipeUserData({ username: 'bob' })).rejects.toThrow(/refusing/);
    const withMount = fakeHost({ getent: getent({}) }, { '/proc/self/mountinfo': mountinfo, '/data/tenants/bob': dir });
    await expect(withMount.activities.wipeUserData({ username: 'bob' })).rejects.toThrow(/unmount them first/);
    expect(withMount.fs.remove).not.toHaveBeenCalled();
  });

  it('removes the entries of each existing tenant directory', async () => {
    const { activities, fs } = fakeHost(
      { getent: getent({}) },
      { '/proc/self/mountinfo': '', '/data/tenants/bob': dir },
    );
    expect(await activities.wipeUserData({ username: 'bob' })).toEqual({ wipedPaths: ['/data/tenants/bob'] });
    expect(fs.remove).toHaveBeenCalledWith('/data/tenants/bob/a');
    expect(fs.remove).toHaveBeenCalledWith('/data/tenants/bob/b');
  });
});

describe('nvidiaCheck', () => {
  const fixture = (name: string) => readFileSync(path.join(__dirname, 'nvidia', '__fixtures__', name), 'utf8');

  it('combines the GPU and compute-apps queries', async () => {
    const { activities, calls } = fakeHost({
      '/usr/bin/nvidia-smi': ([query]) => ({
        stdout: fixture(query.startsWith('--query-gpu') ? 'h100x8.gpus.csv' : 'h100x8.apps.csv'),
      }),
    });
    const report = await activities.nvidiaCheck();
    expect(report).toMatchObject({ healthy: true, driverLoaded: true, problems: [] });
    expect(report.gpus).toHaveLength(8);
    expect(report.processes).toHaveLength(3);
    expect(calls.map((c) => c.args[1])).toEqual(['--format=csv,noheader,nounits', '--format=csv,noheader,nounits']);
  });

  it.each([
    ['driver-not-loaded.txt', 9, 'driver_missing', false],
    ['gpu-lost.txt', 15, 'gpu_lost', true],
  ])('reports %s (exit %s) as %s', async (file, exitCode, failure, driverLoaded) => {
    const { activities } = fakeHost({ '/usr/bin/nvidia-smi': () => ({ stdout: fixture(file), exitCode }) });
    expect(await activities.nvidiaCheck()).toEqual({
      healthy: false,
      driverLoaded,
      gpus: [],
      processes: [],
      problems: [fixture(file).split('\n')[0].trim()],
      failure,
    });
  });
});

describe('probePort', () => {
  it('validates before connecting', async () => {
    const { activities } = fakeHost({});
    await expect(activities.probePort({ host: '192.168.1.1', port: 22 })).rejects.toMatchObject({
      type: 'INVALID_INPUT',
    });
    await expect(activities.probePort({ host: '127.0.0.1', port: 70000 })).rejects.toMatchObject({
      type: 'INVALID_INPUT',
    });
    expect(await activities.probePort({ host: '127.0.0.1', port: 22 })).toEqual({ open: true, latencyMs: 1 });
  });
});
