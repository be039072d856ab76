// The host activities against a real (simulated) GPU host: a container with its own users, sshd on
// its own loopback address and the simulated nvidia-smi. Activities run inside it through
// scripts/simhost/run-activity.js with the built activities/dist, never against this machine's users.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { utils } from 'ssh2';
import { repoRoot, uniqueSuffix } from '../../../tests/support/env';
import { eventually } from '../../../tests/support/eventually';
import { SimHost, SimHostActivityError } from '../../../tests/support/simhost';
import { sshCanLogin, sshRun } from '../../../tests/support/ssh';

// 127.0.3.x is this file's address range.
const IP = '127.0.3.10';

function assertActivitiesBuilt(): void {
  const srcDir = path.join(repoRoot, 'activities', 'src', 'host');
  const distDir = path.join(repoRoot, 'activities', 'dist', 'host');
  const stale = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name.startsWith('__') ? [] : stale(file);
      if (!entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) return [];
      const built = path.join(distDir, path.relative(srcDir, file)).replace(/\.ts$/, '.js');
      return !existsSync(built) || statSync(built).mtimeMs < statSync(file).mtimeMs ? [file] : [];
    });
  const missing = stale(srcDir);
  if (missing.length) {
    throw new Error(
      `activities/dist is missing or older than ${missing[0]}: run \`npx tsc -b tsconfig.build.json\` first`,
    );
  }
}

const newKey = (comment: string) => utils.generateKeyPairSync('ed25519', { comment });

describe('host activities on a simulated GPU host', () => {
  let host: SimHost;
  const run = <T = Record<string, unknown>>(activity: string, input?: unknown) => host.runActivity<T>(activity, input);
  const rejection = async (promise: Promise<unknown>): Promise<SimHostActivityError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SimHostActivityError);
    return error as SimHostActivityError;
  };

  beforeAll(async () => {
    assertActivitiesBuilt();
    host = await SimHost.start(uniqueSuffix('hostact'), IP, { SIMHOST_AGENT: '0', MACHINE_ID: 'm-hostact' });
  }, 300_000);

  afterAll(async () => {
    await host?.stop();
  });

  it('answers ping with its own identity', async () => {
    const pong = await run('ping', { machineId: 'm-hostact' });
    expect(pong).toMatchObject({ machineId: 'm-hostact', hostname: host.name, agentVersion: expect.any(String) });
    expect(pong.uptimeSeconds).toBeGreaterThan(0);
  });

  it('creates a tenant user once and injects keys without duplicates; the key logs in over ssh', async () => {
    expect(await run('ensureTenantUser', { username: 'alice' })).toMatchObject({
      created: true,
      homeDir: '/home/alice',
    });
    const again = await run<{ created: boolean; uid: number }>('ensureTenantUser', { username: 'alice' });
    expect(again.created).toBe(false);
    expect(again.uid).toBeGreaterThanOrEqual(1000);
    // Key-only account: '*' (not the locked '!' useradd leaves), or sshd with UsePAM=no refuses keys.
    expect((await host.execOk(['getent', 'shadow', 'alice'])).split(':')[1]).toBe('*');

    const key = newKey('alice@laptop');
    expect(await run('injectSshKeys', { username: 'alice', publicKeys: [key.public] })).toEqual({
      added: 1,
      alreadyPresent: 0,
    });
    // Same key with another comment = already present.
    const sameKeyOtherComment = key.public.replace('alice@laptop', 'renamed');
    expect(await run('injectSshKeys', { username: 'alice', publicKeys: [key.public, sameKeyOtherComment] })).toEqual({
      added: 0,
      alreadyPresent: 2,
    });
    expect(
      (await host.execOk(['stat', '-c', '%a %U', '/home/alice/.ssh', '/home/alice/.ssh/authorized_keys'])).split('\n'),
    ).toEqual(['700 alice', '600 alice', '']);
    expect(await host.execOk(['grep', '-c', 'ssh-ed25519', '/home/alice/.ssh/authorized_keys'])).toBe('1\n');

    const login = await sshRun({ host: IP, username: 'alice', privateKey: key.private, command: 'id -un; hostname' });
    expect(login).toEqual({ stdout: `alice\n${host.name}\n`, stderr: '', exitCode: 0 });

    expect(await run('revokeSshKeys', { username: 'alice', publicKeys: [key.public] })).toEqual({ removed: 1 });
    expect(await sshCanLogin({ host: IP, username: 'alice', privateKey: key.private })).toBe(false);
    expect(await run('revokeSshKeys', { username: 'alice' })).toEqual({ removed: 0 });
  });

  it('revokes every key when none is named', async () => {
    await run('ensureTenantUser', { username: 'carol' });
    const [a, b] = [newKey('a'), newKey('b')];
    expect(await run('injectSshKeys', { username: 'carol', publicKeys: [a.public, b.public] })).toEqual({
      added: 2,
      alreadyPresent: 0,
    });
    expect(await sshCanLogin({ host: IP, username: 'carol', privateKey: b.private })).toBe(true);
    expect(await run('revokeSshKeys', { username: 'carol' })).toEqual({ removed: 2 });
    expect(await sshCanLogin({ host: IP, username: 'carol', privateKey: a.private })).toBe(false);
    expect(await sshCanLogin({ host: IP, username: 'carol', privateKey: b.private })).toBe(false);
  });

  it('rejects bad input before touching the host', async () => {
    const badKey = await rejection(
      run('injectSshKeys', { username: 'alice', publicKeys: ['ssh-ed25519 bm90IGEga2V5 x'] }),
    );
    expect(badKey).toMatchObject({ type: 'INVALID_INPUT', nonRetryable: true });
    const options = await rejection(
      run('injectSshKeys', { username: 'alice', publicKeys: [`command="sh" ${newKey('x').public}`] }),
    );
    expect(options.type).toBe('INVALID_INPUT');
    expect((await rejection(run('ensureTenantUser', { username: '-o' }))).type).toBe('INVALID_INPUT');
    expect((await rejection(run('disableTenantUser', { username: 'root' }))).type).toBe('INVALID_INPUT');
    // A system account (uid < 1000) under an unreserved name is refused as well.
    await host.execOk(['useradd', '-r', '-s', '/usr/sbin/nologin', 'svcdaemon']);
    const system = await rejection(run('ensureTenantUser', { username: 'svcdaemon' }));
    expect(system.message).toMatch(/system account/);
    expect((await host.execOk(['getent', 'passwd', 'svcdaemon'])).trim().split(':')[6]).toBe('/usr/sbin/nologin');
    expect((await rejection(run('probePort', { host: '10.0.0.1', port: 22 }))).type).toBe('INVALID_INPUT');
  });

  it('sets passwords through chpasswd: given ones work over ssh, generated ones are never returned', async () => {
    await run('ensureTenantUser', { username: 'dave' });
    const password = 'Correct-Horse-9-Battery';
    expect(await run('setUserPassword', { username: 'dave', password })).toEqual({
      username: 'dave',
      generated: false,
      length: password.length,
    });
    expect(await sshRun({ host: IP, username: 'dave', password, command: 'id -un' })).toMatchObject({
      stdout: 'dave\n',
    });

    const generated = await run('setUserPassword', { username: 'dave' });
    expect(generated).toEqual({ username: 'dave', generated: true, length: 24 });
    expect(await sshCanLogin({ host: IP, username: 'dave', password })).toBe(false);

    const reset = await run<{ password: string }>('resetUserPassword', { username: 'dave' });
    expect(reset.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await sshCanLogin({ host: IP, username: 'dave', password: reset.password })).toBe(true);
    expect((await rejection(run('setUserPassword', { username: 'dave', password: 'a\nb:c' }))).type).toBe(
      'INVALID_INPUT',
    );
  });

  it('disables a user (keys stop working) and ensureTenantUser enables it again', async () => {
    await run('ensureTenantUser', { username: 'erin' });
    const key = newKey('erin');
    await run('injectSshKeys', { username: 'erin', publicKeys: [key.public] });
    expect(await sshCanLogin({ host: IP, username: 'erin', privateKey: key.private })).toBe(true);

    expect(await run('disableTenantUser', { username: 'erin' })).toEqual({ username: 'erin', changed: true });
    expect(await run('disableTenantUser', { username: 'erin' })).toEqual({ username: 'erin', changed: false });
    expect(await run('disableTenantUser', { username: 'nosuchuser' })).toEqual({
      username: 'nosuchuser',
      changed: false,
    });
    expect(await sshCanLogin({ host: IP, username: 'erin', privateKey: key.private })).toBe(false);
    // A password reset while disabled keeps the account locked.
    await run('setUserPassword', { username: 'erin', password: 'Another-Pass-123' });
    expect((await host.execOk(['getent', 'shadow', 'erin'])).split(':')[1]).toMatch(/^!/);
    expect(await sshCanLogin({ host: IP, username: 'erin', password: 'Another-Pass-123' })).toBe(false);

    expect(await run('ensureTenantUser', { username: 'erin' })).toMatchObject({ created: false });
    expect(await sshCanLogin({ host: IP, username: 'erin', privateKey: key.private })).toBe(true);
  });

  it('kills every process of the user, including ones that ignore SIGTERM', async () => {
    await run('ensureTenantUser', { username: 'frank' });
    await Promise.all([
      host.execOk(['runuser', '-u', 'frank', '--', 'bash', '-c', 'sleep 1000 >/dev/null 2>&1 &']),
      host.execOk(['runuser', '-u', 'frank', '--', 'bash', '-c', 'trap "" TERM; exec sleep 999 >/dev/null 2>&1 &']),
    ]);
    const listed = await eventually(async () => {
      const { processes } = await run<{ processes: { command: string; user: string }[] }>('listUserProcesses', {
        username: 'frank',
      });
      expect(processes.filter((p) => p.command === 'sleep')).toHaveLength(2);
      return processes;
    });
    expect(listed.every((p) => p.user === 'frank')).toBe(true);

    const result = await run<{ killed: number; remaining: number }>('killUserProcesses', {
      username: 'frank',
      graceMs: 300,
    });
    expect(result).toEqual({ killed: 2, remaining: 0 });
    expect(await run('listUserProcesses', { username: 'frank' })).toEqual({ processes: [] });
    expect((await host.exec(['pgrep', '-u', 'frank'])).exitCode).toBe(1);
    expect(await run('killUserProcesses', { username: 'frank' })).toEqual({ killed: 0, remaining: 0 });
  });

  it('stops the user’s VNC server and is a no-op when none runs', async () => {
    await run('ensureTenantUser', { username: 'grace' });
    await host.execOk([
      'runuser',
      '-u',
      'grace',
      '--',
      'bash',
      '-c',
      'exec -a /usr/bin/Xtigervnc sleep 1000 >/dev/null 2>&1 &',
    ]);
    await host.execOk(['runuser', '-u', 'grace', '--', 'bash', '-c', 'sleep 1001 >/dev/null 2>&1 &']);
    expect(await run('stopVnc', { username: 'grace' })).toEqual({ stopped: true });
    const left = await run<{ processes: { command: string }[] }>('listUserProcesses', { username: 'grace' });
    // Only the VNC server went; the user's other process is the reclaim's kill step's business.
    expect(left.processes.map((p) => p.command)).toEqual(['sleep']);
    expect((await host.execOk(['ps', '-o', 'args=', '-u', 'grace'])).trim()).toBe('sleep 1001');
    expect(await run('stopVnc', { username: 'grace' })).toEqual({ stopped: false });
    await run('killUserProcesses', { username: 'grace', graceMs: 0 });
  });

  it('wipes the tenant data directories and refuses paths outside them', async () => {
    await run('ensureTenantUser', { username: 'heidi' });
    await host.execOk([
      'bash',
      '-c',
      'mkdir -p /data/tenants/heidi/run1/ckpt /home/heidi/proj && echo w > /data/tenants/heidi/run1/ckpt/model.bin && ' +
        'touch /data/tenants/heidi/.cache /home/heidi/proj/train.py && ln -s /etc /data/tenants/heidi/etc-link && ' +
        'mkdir -p /data/tenants/ivan && touch /data/tenants/ivan/keep && chown -R heidi: /data/tenants/heidi',
    ]);
    const etcBefore = await host.execOk(['ls', '/etc']);
    expect(await run('wipeUserData', { username: 'heidi' })).toEqual({
      wipedPaths: ['/home/heidi', '/data/tenants/heidi'],
    });
    expect(await host.execOk(['ls', '-A', '/data/tenants/heidi', '/home/heidi'])).toBe(
      '/data/tenants/heidi:\n\n/home/heidi:\n',
    );
    expect(await host.execOk(['ls', '/etc'])).toBe(etcBefore);
    expect(await host.execOk(['ls', '/data/tenants/ivan'])).toBe('keep\n');
    expect(await run('wipeUserData', { username: 'heidi' })).toEqual({
      wipedPaths: ['/home/heidi', '/data/tenants/heidi'],
    });

    for (const paths of [['/etc'], ['/data/tenants/heidi/../ivan'], ['relative/path']]) {
      expect((await rejection(run('wipeUserData', { username: 'heidi', paths }))).type).toBe('INVALID_INPUT');
    }
    expect(await host.execOk(['ls', '/data/tenants/ivan'])).toBe('keep\n');
  });

  it('reports GPUs and compute processes, and a lost GPU or missing driver as unhealthy', async () => {
    await host.setNvidiaMode('ok', 'h100x8');
    const ok = await run<{ healthy: boolean; gpus: { name: string }[]; processes: unknown[] }>('nvidiaCheck');
    expect(ok).toMatchObject({ healthy: true, driverLoaded: true, processes: [], problems: [] });
    expect(ok.gpus).toHaveLength(8);
    expect(ok.gpus[0]).toMatchObject({
      index: 0,
      name: 'NVIDIA H100 80GB HBM3',
      memoryTotalMiB: 81559,
      powerDrawW: 69.88,
    });

    await host.setNvidiaMode('busy');
    const busy = await run<{ processes: { pid: number }[] }>('nvidiaCheck');
    expect(busy.processes.map((p) => p.pid)).toEqual([48213, 48214, 51877]);

    await host.setNvidiaMode('ok', 'a100x4-one-na');
    const na = await run<{ healthy: boolean; gpus: { utilizationGpuPct: number | null }[]; problems: string[] }>(
      'nvidiaCheck',
    );
    expect(na.healthy).toBe(false);
    expect(na.gpus[2].utilizationGpuPct).toBeNull();
    expect(na.problems).toEqual([expect.stringMatching(/GPU 2 .* 2 uncorrected ECC errors/)]);

    await host.setNvidiaMode('gpu_lost', 'h100x8');
    expect(await run('nvidiaCheck')).toMatchObject({
      healthy: false,
      driverLoaded: true,
      failure: 'gpu_lost',
      gpus: [],
    });
    await host.setNvidiaMode('driver_missing');
    expect(await run('nvidiaCheck')).toMatchObject({ healthy: false, driverLoaded: false, failure: 'driver_missing' });
    await host.setNvidiaMode('ok');
  });

  it('probes loopback ports and collects host metrics', async () => {
    expect(await run('probePort', { host: IP, port: 22, timeoutMs: 2000 })).toMatchObject({ open: true });
    expect(await run('probePort', { host: IP, port: 1, timeoutMs: 2000 })).toMatchObject({
      open: false,
      error: 'ECONNREFUSED',
    });
    const metrics = await run<Record<string, number>>('collectHostMetrics');
    expect(metrics.cpuCores).toBeGreaterThan(0);
    expect(metrics.memUsedPct).toBeGreaterThan(0);
    expect(metrics.memUsedPct).toBeLessThan(100);
    expect(metrics.diskUsedPct).toBeGreaterThan(0);
  });
});
