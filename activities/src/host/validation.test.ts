import { resolveWipeTargets } from './data';
import { assertLoopbackHost, assertPassword, assertUsername } from './validation';

const invalid = expect.objectContaining({ type: 'INVALID_INPUT', nonRetryable: true });

describe('assertUsername', () => {
  it('accepts unix user names', () => {
    expect(assertUsername('alice')).toBe('alice');
    expect(assertUsername('t_acme-01')).toBe('t_acme-01');
  });

  it.each([['-rf'], ['Alice'], ['a b'], ['a'.repeat(33)], [''], ['1abc'], ['root'], ['sshd'], [undefined], ['al;ice']])(
    'rejects %p',
    (name) => {
      expect(() => assertUsername(name)).toThrow(invalid);
    },
  );
});

describe('assertPassword', () => {
  it('accepts printable one-line passwords (colons are fine for chpasswd)', () => {
    expect(assertPassword('a:b c=d-12345')).toBe('a:b c=d-12345');
  });

  it.each([['short'], ['x'.repeat(129)], ['line\nbreak1'], ['nul\u0000char1'], [12345678]])('rejects %p', (value) => {
    expect(() => assertPassword(value)).toThrow(invalid);
  });
});

describe('assertLoopbackHost', () => {
  it.each([['127.0.0.1'], ['127.0.3.10'], ['127.255.255.254']])('accepts %s', (host) => {
    expect(assertLoopbackHost(host)).toBe(host);
  });

  it.each([
    ['10.0.0.1'],
    ['localhost'],
    ['127.0.0.256'],
    ['127.0.0'],
    ['127.0.0.01'],
    ['::1'],
    ['0x7f.0.0.1'],
    [undefined],
  ])('rejects %p', (host) => {
    expect(() => assertLoopbackHost(host)).toThrow(invalid);
  });
});

describe('resolveWipeTargets', () => {
  const roots = ['/home', '/data/tenants/'];

  it('defaults to <root>/<username> for every data root', () => {
    expect(resolveWipeTargets(roots, 'alice')).toEqual(['/home/alice', '/data/tenants/alice']);
  });

  it('accepts paths inside the tenant directories, normalised', () => {
    expect(resolveWipeTargets(roots, 'alice', ['/data/tenants/alice/./runs//1/', '/home/alice'])).toEqual([
      '/data/tenants/alice/runs/1',
      '/home/alice',
    ]);
  });

  it.each([
    [['/etc']],
    [['/home/alice/../bob']],
    [['/home/alicex']],
    [['/home']],
    [['relative']],
    [[]],
    ['/home/alice'],
  ])('refuses %p', (paths) => {
    expect(() => resolveWipeTargets(roots, 'alice', paths)).toThrow(invalid);
  });
});
