// Real implementations of the host interfaces for the agent worker (and the simulated host's runner).
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { asyncLocalStorage } from '@temporalio/activity';
import { createCommandRunner } from './command-runner';
import type { Clock, HostActivityConfig, HostActivityDeps, HostFileSystem, TcpProber } from './deps';

export const nodeFileSystem: HostFileSystem = {
  async lstat(file) {
    try {
      const s = await fsp.lstat(file);
      return {
        isFile: s.isFile(),
        isDirectory: s.isDirectory(),
        isSymbolicLink: s.isSymbolicLink(),
        uid: s.uid,
        gid: s.gid,
        mode: s.mode & 0o7777,
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  },
  readFile: (file) => fsp.readFile(file, 'utf8'),
  async writeFileAtomic(file, content, { uid, gid, mode }) {
    const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
    // 'wx' refuses to follow a planted link or reuse an existing file.
    const handle = await fsp.open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.chown(uid, gid);
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fsp.rename(temp, file);
    } catch (error) {
      await fsp.rm(temp, { force: true });
      throw error;
    }
  },
  async mkdir(dir, { uid, gid, mode }) {
    await fsp.mkdir(dir, { mode });
    await fsp.chown(dir, uid, gid);
    await fsp.chmod(dir, mode);
  },
  chown: (file, uid, gid) => fsp.lchown(file, uid, gid),
  chmod: (file, mode) => fsp.chmod(file, mode),
  readdir: (dir) => fsp.readdir(dir),
  remove: (file) => fsp.rm(file, { recursive: true, force: true }),
  realpath: (file) => fsp.realpath(file),
  async statfs(file) {
    const s = await fsp.statfs(file);
    return { totalBytes: s.blocks * s.bsize, freeBytes: s.bfree * s.bsize, availableBytes: s.bavail * s.bsize };
  },
};

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => delay(ms),
};

export const tcpProber: TcpProber = {
  probe(host, port, timeoutMs) {
    return new Promise((resolve) => {
      const started = process.hrtime.bigint();
      const socket = net.connect({ host, port });
      const finish = (result: { open: boolean; error?: string }) => {
        socket.destroy();
        const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
        resolve(result.open ? { open: true, latencyMs: Math.round(latencyMs * 100) / 100 } : result);
      };
      socket.setTimeout(timeoutMs, () => finish({ open: false, error: 'timeout' }));
      socket.once('connect', () => finish({ open: true }));
      socket.once('error', (error: NodeJS.ErrnoException) =>
        finish({ open: false, error: error.code ?? error.message }),
      );
    });
  },
};

/** Heartbeats the activity this call runs in, if any (the agent's metrics sender calls activities directly). */
export function activityHeartbeat(): void {
  asyncLocalStorage.getStore()?.heartbeat();
}

export function createNodeHostDeps(config: HostActivityConfig): HostActivityDeps {
  return {
    commands: createCommandRunner(),
    fs: nodeFileSystem,
    clock: systemClock,
    tcp: tcpProber,
    randomBytes,
    heartbeat: activityHeartbeat,
    config,
  };
}
