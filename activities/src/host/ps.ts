// Pure parser for `ps -o pid=,stat=,args=` (or comm=) output: the last column may contain spaces.

export interface PsRow {
  pid: number;
  stat: string;
  command: string;
}

export function parsePsRows(stdout: string): PsRow[] {
  const rows: PsRow[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^\s*(\d+)\s+(\S+)\s+(.*?)\s*$/.exec(line);
    if (match) rows.push({ pid: Number(match[1]), stat: match[2], command: match[3] });
  }
  return rows;
}

/** Zombies are already dead (only waiting for their parent to reap them). */
export const isAlive = (row: PsRow): boolean => !row.stat.startsWith('Z');

const VNC_PROGRAMS = new Set(['Xvnc', 'Xtigervnc', 'vncserver', 'tigervncserver', 'x0vncserver', 'x0tigervncserver']);

/** The X display (`:N`) of a VNC server process when `args` is one, else undefined. */
export function vncDisplayOf(args: string): number | null | undefined {
  const tokens = args.split(/\s+/);
  // vncserver is a perl script: its program name is the second token.
  const program = tokens.slice(0, 2).find((t) => VNC_PROGRAMS.has(t.split('/').pop() ?? ''));
  if (!program) return undefined;
  const display = tokens.find((t) => /^:\d+$/.test(t));
  return display ? Number(display.slice(1)) : null;
}
