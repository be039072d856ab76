// scripts/up on a running stack must reuse every service: fast, same processes, all healthy.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { dataDir, repoRoot, testEnv } from '../support/env';

const run = promisify(execFile);
const pidOf = (name: string) => readFileSync(path.join(dataDir, 'run', `${name}.pid`), 'utf8').trim();

it('a second scripts/up reuses everything and finishes in seconds', async () => {
  const before = { temporal: pidOf('temporal'), s3: pidOf('s3'), redis: pidOf('redis') };
  const started = Date.now();
  await run('bash', [path.join(repoRoot, 'scripts', 'up')], { env: testEnv.processEnv() });
  expect(Date.now() - started).toBeLessThan(5_000);
  expect({ temporal: pidOf('temporal'), s3: pidOf('s3'), redis: pidOf('redis') }).toEqual(before);

  const status = await run('bash', [path.join(repoRoot, 'scripts', 'status')], { env: testEnv.processEnv() });
  for (const service of ['postgres', 'redis', 'temporal', 's3']) {
    expect(status.stdout).toMatch(new RegExp(`^${service}\\s+\\d+\\s+healthy$`, 'm'));
  }
});
