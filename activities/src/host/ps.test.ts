import { isAlive, parsePsRows, vncDisplayOf } from './ps';

describe('parsePsRows', () => {
  it('parses pid, stat and a command with spaces; drops zombies with isAlive', () => {
    const rows = parsePsRows('  101 Ss   /usr/bin/python3 train.py --epochs 3\n  102 Z    [sleep] <defunct>\n\n');
    expect(rows).toEqual([
      { pid: 101, stat: 'Ss', command: '/usr/bin/python3 train.py --epochs 3' },
      { pid: 102, stat: 'Z', command: '[sleep] <defunct>' },
    ]);
    expect(rows.filter(isAlive).map((r) => r.pid)).toEqual([101]);
  });
});

describe('vncDisplayOf', () => {
  it.each([
    ['/usr/bin/Xtigervnc :1 -desktop x -rfbport 5901', 1],
    ['Xvnc :12 -localhost', 12],
    ['/usr/bin/perl /usr/bin/vncserver :3', 3],
    ['/usr/bin/Xvnc -inetd', null],
    ['python3 -m http.server :1', undefined],
    ['sleep 100', undefined],
  ])('%s', (args, expected) => {
    expect(vncDisplayOf(args)).toBe(expected);
  });
});
