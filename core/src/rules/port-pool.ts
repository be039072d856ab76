// Per-host port pool math (remote access / containers). Ports in use come from the host's ACTIVE
// port_mappings of every service type: the ranges below overlap (vnc / novnc), the used set does not.

import type { PortServiceType } from '../enums';

export interface PortRange {
  /** Inclusive. */
  start: number;
  /** Inclusive. */
  end: number;
}

/** The pool of each service type (requirements §5.1). */
export const DEFAULT_PORT_RANGES: Readonly<Record<PortServiceType, PortRange>> = {
  ssh: { start: 22000, end: 22999 },
  rdp: { start: 33890, end: 34889 },
  jupyter: { start: 8888, end: 9887 },
  vnc: { start: 5900, end: 6899 },
  novnc: { start: 6080, end: 7079 },
  custom: { start: 10000, end: 19999 },
};

export function assertValidPortRange(range: PortRange): void {
  const ok =
    Number.isInteger(range.start) &&
    Number.isInteger(range.end) &&
    range.start >= 1 &&
    range.end <= 65535 &&
    range.start <= range.end;
  if (!ok) throw new RangeError(`invalid port range ${range.start}-${range.end}`);
}

export function portRangeSize(range: PortRange): number {
  assertValidPortRange(range);
  return range.end - range.start + 1;
}

/**
 * The lowest free port of the range (or `preferred` when it is in the range and free); null when the
 * range is exhausted.
 */
export function nextFreePort(range: PortRange, used: Iterable<number>, preferred?: number): number | null {
  assertValidPortRange(range);
  const taken = new Set(used);
  if (preferred !== undefined && preferred >= range.start && preferred <= range.end && !taken.has(preferred)) {
    return preferred;
  }
  for (let port = range.start; port <= range.end; port++) if (!taken.has(port)) return port;
  return null;
}

/** `count` distinct free ports, lowest first; null when the range does not have that many. */
export function allocateFreePorts(range: PortRange, used: Iterable<number>, count: number): number[] | null {
  assertValidPortRange(range);
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`invalid port count ${count}`);
  const taken = new Set(used);
  const ports: number[] = [];
  for (let port = range.start; port <= range.end && ports.length < count; port++) {
    if (!taken.has(port)) ports.push(port);
  }
  return ports.length === count ? ports : null;
}

/** How many ports of the range are still free. */
export function freePortCount(range: PortRange, used: Iterable<number>): number {
  const taken = new Set([...used].filter((p) => p >= range.start && p <= range.end));
  return portRangeSize(range) - taken.size;
}
