import { readFileSync } from 'node:fs';
import path from 'node:path';

// dist/version.js and src/version.ts both sit one level below the package.json.
function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const AGENT_VERSION = readVersion();
