// The built API refuses a bad configuration at once: exit code non-zero within 5 s and the
// offending key named on stderr (before any database, Redis or Temporal connection is tried).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, testEnv } from '../support/env';

const apiMain = path.join(repoRoot, 'api', 'dist', 'main.js');

function runApi(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string; ms: number }> {
  if (!existsSync(apiMain)) throw new Error(`${apiMain} is missing: run \`npx tsc -b tsconfig.build.json\` first`);
  const started = Date.now();
  const child = spawn(process.execPath, [apiMain], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stderr, ms: Date.now() - started });
    });
  });
}

describe('api startup configuration', () => {
  it('exits non-zero within 5 s naming API_PORT when it is not a number', async () => {
    const result = await runApi({ ...testEnv.processEnv(), API_PORT: 'abc' });
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.ms).toBeLessThan(5000);
    expect(result.stderr).toContain('API_PORT: expected a number');
  });

  it('names every missing secret', async () => {
    const env = { ...testEnv.processEnv() };
    delete env.JWT_SECRET;
    const result = await runApi({ ...env, AGENT_CREDENTIALS_KEY: 'too-short' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/JWT_SECRET: /);
    expect(result.stderr).toContain('AGENT_CREDENTIALS_KEY: must be at least 32 characters');
  });
});
