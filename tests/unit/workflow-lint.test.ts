// The lint rules that keep workflow code deterministic (eslint.config.mjs), checked through ESLint's
// Node API on in-memory code placed as if it were a file in workflows/src.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../support/env';

jest.setTimeout(60_000);

interface LintMessage {
  ruleId: string | null;
  message: string;
  fatal?: boolean;
  line: number;
}
interface LintResult {
  filePath: string;
  messages: LintMessage[];
}
type LintRequest = { texts: { code: string; filePath: string }[]; files: string[] };

// ESLint loads eslint.config.mjs with a dynamic import(), which jest's module sandbox cannot run, so
// the ESLint Node API runs in a plain node child (the same way `npx eslint` does). Probes go in as JSON
// on stdin; nothing is interpolated into code or a shell.
const LINT_SCRIPT = `
const { ESLint } = require('eslint');
let input = '';
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', async () => {
  const { texts, files } = JSON.parse(input);
  const eslint = new ESLint({ cwd: process.cwd() });
  const out = { texts: [], files: files.length ? await eslint.lintFiles(files) : [] };
  for (const t of texts) out.texts.push((await eslint.lintText(t.code, { filePath: t.filePath }))[0]);
  process.stdout.write(JSON.stringify(out));
});
`;

async function runEslint(request: LintRequest): Promise<{ texts: LintResult[]; files: LintResult[] }> {
  const child = promisify(execFile)(process.execPath, ['-e', LINT_SCRIPT], { cwd: repoRoot, maxBuffer: 64 << 20 });
  child.child.stdin!.end(JSON.stringify(request));
  const { stdout } = await child;
  return JSON.parse(stdout);
}

const workflowFile = path.join(repoRoot, 'workflows', 'src', 'lint-probe-workflow.ts');
const activityFile = path.join(repoRoot, 'activities', 'src', 'lint-probe.ts');

function restrictedImportErrors(result: LintResult): string[] {
  const fatal = result.messages.filter((m) => m.fatal);
  if (fatal.length) throw new Error(`eslint could not parse the probe: ${fatal.map((m) => m.message).join('; ')}`);
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const usingImport = (statement: string, name: string) =>
  `${statement}\nexport async function probeWorkflow(): Promise<unknown> {\n  return ${name};\n}\n`;

const forbidden: [string, string][] = [
  ["import { readFileSync } from 'node:fs';", 'readFileSync'],
  ["import { readFileSync } from 'fs';", 'readFileSync'],
  ["import { MikroORM } from '@mikro-orm/core';", 'MikroORM'],
  ["import Redis from 'ioredis';", 'Redis'],
  ["import { Machine } from '@remotegpu/core';", 'Machine'],
  ["import { createHostActivities } from '@remotegpu/activities';", 'createHostActivities'],
  ["import { Client } from '@temporalio/client';", 'Client'],
];
const allowed: [string, string][] = [
  ["import { sleep } from '@temporalio/workflow';", 'sleep'],
  ["import { hostTaskQueue } from '@remotegpu/core/contracts';", 'hostTaskQueue'],
  ["import type { HostActivities } from '@remotegpu/core/contracts';", 'undefined as unknown as HostActivities'],
];
const nodeFsInActivities = usingImport("import { readFileSync } from 'node:fs';", 'readFileSync');

let lint: { texts: LintResult[]; files: LintResult[] };

// One child process lints every probe (starting ESLint with typescript-eslint takes a second or two).
beforeAll(async () => {
  lint = await runEslint({
    texts: [
      ...[...forbidden, ...allowed].map(([statement, name]) => ({
        code: usingImport(statement, name),
        filePath: workflowFile,
      })),
      { code: nodeFsInActivities, filePath: activityFile },
    ],
    files: ['workflows/src/**/*.ts'],
  });
});

describe('workflow lint rules', () => {
  it.each(forbidden.map(([statement], i) => [statement, i] as const))('rejects %s', (_statement, i) => {
    const errors = restrictedImportErrors(lint.texts[i]);
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) expect(error).toMatch(/workflows must stay deterministic/);
  });

  it.each(allowed.map(([statement], i) => [statement, forbidden.length + i] as const))('allows %s', (_s, i) => {
    expect(lint.texts[i].messages.map((m) => `${m.ruleId}: ${m.message}`)).toEqual([]);
  });

  it('applies only to workflow code, not to activities', () => {
    expect(restrictedImportErrors(lint.texts[forbidden.length + allowed.length])).toEqual([]);
  });

  it('keeps the real workflow sources clean', () => {
    expect(lint.files.length).toBeGreaterThan(0);
    const problems = lint.files.flatMap((r) =>
      r.messages.map((m) => `${path.relative(repoRoot, r.filePath)}:${m.line} ${m.ruleId} ${m.message}`),
    );
    expect(problems).toEqual([]);
  });
});
