// Real SSH logins to simulated hosts with the ssh2 client (loopback addresses only).
import { Client } from 'ssh2';

export interface SshRunOptions {
  host: string;
  port?: number;
  username: string;
  privateKey?: string;
  password?: string;
  command: string;
  timeoutMs?: number;
}

export interface SshRunResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

/** Logs in and runs one command; rejects when the login is refused (error.level 'client-authentication'). */
export function sshRun(options: SshRunOptions): Promise<SshRunResult> {
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(options.host)) {
    return Promise.reject(new Error(`sshRun talks to loopback addresses only, not ${options.host}`));
  }
  const timeoutMs = options.timeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    const client = new Client();
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.end();
      fn();
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`ssh ${options.host} timed out`))), timeoutMs);
    client
      .on('ready', () => {
        client.exec(options.command, (error, stream) => {
          if (error) return finish(() => reject(error));
          let stdout = '';
          let stderr = '';
          let exitCode: number | null = null;
          stream.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
          stream.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
          stream.on('exit', (code: number | null) => (exitCode = code));
          stream.on('close', () => finish(() => resolve({ stdout, stderr, exitCode })));
        });
      })
      .on('error', (error) => finish(() => reject(error)))
      .connect({
        host: options.host,
        port: options.port ?? 22,
        username: options.username,
        privateKey: options.privateKey,
        password: options.password,
        readyTimeout: timeoutMs,
        // Simulated hosts make fresh host keys each start; there is nothing to pin.
        hostVerifier: () => true,
      });
  });
}

/** true when the login succeeds, false when the server refuses the credentials. */
export async function sshCanLogin(options: Omit<SshRunOptions, 'command'>): Promise<boolean> {
  try {
    await sshRun({ ...options, command: 'true' });
    return true;
  } catch (error) {
    if ((error as { level?: string }).level === 'client-authentication') return false;
    throw error;
  }
}
