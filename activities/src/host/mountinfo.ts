// Pure parser for /proc/self/mountinfo: the mount points (field 5, octal escapes decoded).

export function parseMountPoints(mountinfo: string): string[] {
  const points: string[] = [];
  for (const line of mountinfo.split('\n')) {
    const fields = line.split(' ');
    if (fields.length < 5) continue;
    points.push(fields[4].replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))));
  }
  return points;
}

/** Mount points strictly inside `dir` (removing `dir`'s contents would descend into them). */
export function mountsBelow(mountPoints: readonly string[], dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return mountPoints.filter((p) => p.startsWith(prefix));
}
