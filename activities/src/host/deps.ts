// The narrow interfaces every host side effect goes through, so the activities stay testable and
// no code path can reach a shell.

export interface CommandResult {
  stdout: string;
  stderr: string;
  /** Process exit code; 127 when the program does not exist, 124 when it was killed on timeout. */
  exitCode: number;
}

export interface CommandOptions {
  /** Written to the child's stdin (secrets go here, never into argv). */
  input?: string;
  timeoutMs?: number;
  /** Run as this uid (and its primary gid when given). */
  uid?: number;
  gid?: number;
}

/** Runs one program with an argv array (execFile); a non-zero exit is returned, not thrown. */
export interface CommandRunner {
  run(file: string, args: readonly string[], options?: CommandOptions): Promise<CommandResult>;
}

export interface FileInfo {
  isFile: boolean;
  isDirectory: boolean;
  isSymbolicLink: boolean;
  uid: number;
  gid: number;
  mode: number;
}

export interface DiskUsage {
  totalBytes: number;
  freeBytes: number;
  availableBytes: number;
}

/** The few filesystem operations the host activities need. */
export interface HostFileSystem {
  /** lstat: symbolic links are reported, never followed; null when the path does not exist. */
  lstat(path: string): Promise<FileInfo | null>;
  readFile(path: string): Promise<string>;
  /** Writes a temporary file beside `path`, sets owner and mode, then renames it over `path`. */
  writeFileAtomic(path: string, content: string, owner: { uid: number; gid: number; mode: number }): Promise<void>;
  mkdir(path: string, owner: { uid: number; gid: number; mode: number }): Promise<void>;
  chown(path: string, uid: number, gid: number): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  readdir(path: string): Promise<string[]>;
  /** Removes a file, link or directory tree without following symbolic links. */
  remove(path: string): Promise<void>;
  realpath(path: string): Promise<string>;
  statfs(path: string): Promise<DiskUsage>;
}

export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

export interface TcpProbeResult {
  open: boolean;
  latencyMs?: number;
  error?: string;
}

export interface TcpProber {
  probe(host: string, port: number, timeoutMs: number): Promise<TcpProbeResult>;
}

export interface HostActivityConfig {
  machineId: string;
  agentVersion: string;
  /** Path of nvidia-smi (a simulated host provides its own). */
  nvidiaSmiPath: string;
  /** Parent directories of the tenant's data: the tenant's directory is `<root>/<username>`. */
  dataRoots: string[];
  /** Filesystems whose usage the heartbeat reports; default ['/']. */
  diskPaths?: string[];
  /** Lowest uid the activities treat as a tenant account (system accounts are never touched). */
  minTenantUid?: number;
}

export interface HostActivityDeps {
  commands: CommandRunner;
  fs: HostFileSystem;
  clock: Clock;
  tcp: TcpProber;
  /** Random bytes for generated passwords (crypto.randomBytes on a real host). */
  randomBytes(size: number): Buffer;
  /** Tells Temporal the running activity is alive; a no-op outside an activity (tests, run-activity.js). */
  heartbeat(): void;
  config: HostActivityConfig;
}
