import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = [
  'assert',
  'async_hooks',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'tty',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];
// Workflow code must be deterministic: no Node APIs, no I/O libraries, no activity implementations.
const workflowForbidden = [
  ...nodeBuiltins,
  ...nodeBuiltins.map((m) => `node:${m}`),
  '@remotegpu/core',
  '@remotegpu/activities',
  '@temporalio/activity',
  '@temporalio/client',
  '@temporalio/worker',
  'ioredis',
  'pg',
  'minio',
  'dockerode',
  'ssh2',
  'axios',
  'node-fetch',
  'pino',
  'express',
  'ws',
  'argon2',
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.data/**', 'web/.angular/**', 'artifacts/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='child_process'][callee.property.name='exec']",
          message: 'use execFile with an argv array',
        },
      ],
    },
  },
  {
    // Plain Node scripts (scripts/, jest config) are CommonJS.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['workflows/src/**/*.ts'],
    ignores: ['workflows/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: workflowForbidden.map((name) => ({
            name,
            message: 'workflows must stay deterministic: no Node APIs or I/O here',
          })),
          patterns: [
            {
              group: [
                '@mikro-orm/*',
                'node:*',
                '@aws-sdk/*',
                '@remotegpu/core/src/*',
                '../../activities/*',
                '../activities/*',
              ],
              message: 'workflows must stay deterministic: no Node APIs or I/O here',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'use sleep() from @temporalio/workflow' },
        { name: 'setInterval', message: 'use sleep() from @temporalio/workflow' },
        { name: 'fetch', message: 'no I/O in workflows' },
        { name: 'process', message: 'no Node APIs in workflows' },
        { name: 'require', message: 'import what the workflow needs' },
      ],
    },
  },
);
