import { execFile } from 'node:child_process';
import type { CommandOptions, CommandResult, CommandRunner } from './deps';

const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/** The real CommandRunner: execFile with an argv array, never a shell. */
export function createCommandRunner(env: NodeJS.ProcessEnv = process.env): CommandRunner {
  return {
    run(file: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
      return new Promise((resolve) => {
        const child = execFile(
          file,
          [...args],
          {
            encoding: 'utf8',
            shell: false,
            timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
            killSignal: 'SIGKILL',
            maxBuffer: MAX_OUTPUT_BYTES,
            uid: options.uid,
            gid: options.gid,
            // A stable locale so tools print parseable, untranslated output.
            env: { ...env, LC_ALL: 'C', LANG: 'C' },
          },
          (error, stdout, stderr) => {
            if (!error) return resolve({ stdout, stderr, exitCode: 0 });
            const failure = error as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
            if (failure.code === 'ENOENT' || failure.code === 'EACCES') {
              return resolve({ stdout: '', stderr: `${file}: ${failure.message}`, exitCode: 127 });
            }
            if (failure.killed) return resolve({ stdout, stderr: `${stderr}\n${file}: timed out`, exitCode: 124 });
            const exitCode = typeof failure.code === 'number' ? failure.code : 1;
            resolve({ stdout, stderr: stderr || failure.message, exitCode });
          },
        );
        // Without input, close stdin at once so no tool waits for a terminal.
        child.stdin?.on('error', () => undefined);
        child.stdin?.end(options.input ?? '');
      });
    },
  };
}
