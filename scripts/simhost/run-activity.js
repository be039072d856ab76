#!/usr/bin/env node
// Runs ONE host activity inside a simulated GPU host and prints its outcome as JSON, so integration
// tests exercise the real activities against the container's own users and files:
//   docker exec -i simhost-<name> node /opt/remotegpu/scripts/simhost/run-activity.js <activity> < input.json
// Output: {"ok":true,"result":…} or {"ok":false,"error":{"message","type","nonRetryable"}} (exit 1).
'use strict';
// Plain CommonJS: runs with the bare node binary inside the container, no build step.
const fs = require('node:fs');
const path = require('node:path');

// Host activities change users and delete data: only ever inside a simulated host.
if (!fs.existsSync('/etc/simhost')) {
  console.error('run-activity.js runs only inside a simulated host (no /etc/simhost here)');
  process.exit(2);
}

// Only the host half: the control-plane activities (database, Redis) have no business on a GPU host.
const activitiesDist = path.resolve(__dirname, '..', '..', 'activities', 'dist', 'host');
const { createHostActivities, createNodeHostDeps } = require(activitiesDist);

async function main() {
  const name = process.argv[2];
  const raw = process.argv[3] ?? fs.readFileSync(0, 'utf8');
  const input = raw.trim() ? JSON.parse(raw) : undefined;
  const activities = createHostActivities(
    createNodeHostDeps({
      machineId: process.env.MACHINE_ID || 'simhost',
      agentVersion: process.env.AGENT_VERSION || 'simhost-runner',
      nvidiaSmiPath: process.env.NVIDIA_SMI_PATH || '/opt/remotegpu/scripts/simhost/nvidia-smi',
      dataRoots: (process.env.DATA_ROOTS || '/home:/data/tenants').split(':').filter(Boolean),
    }),
  );
  if (typeof activities[name] !== 'function') throw new Error(`unknown activity ${name}`);
  return activities[name](input);
}

main().then(
  (result) => {
    process.stdout.write(`${JSON.stringify({ ok: true, result: result ?? null })}\n`);
  },
  (error) => {
    const failure = {
      message: error.message,
      type: error.type ?? error.name,
      nonRetryable: error.nonRetryable ?? false,
    };
    process.stdout.write(`${JSON.stringify({ ok: false, error: failure })}\n`);
    process.exitCode = 1;
  },
);
