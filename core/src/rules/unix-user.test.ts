import { InvalidCompanyCodeError, isValidUnixUsername, tenantUnixUser } from './unix-user';
import { isValidCompanyCode, isValidMachineId } from './validators';

describe('isValidUnixUsername', () => {
  it.each(['t_acme', 'alice', '_svc', 'a', 'user-01', 'a'.repeat(32)])('accepts %s', (name) => {
    expect(isValidUnixUsername(name)).toBe(true);
  });

  it.each([
    '',
    'Alice',
    '1user',
    '-user',
    'a'.repeat(33),
    'user name',
    'user;rm',
    'user$',
    'us.er',
    'root',
    'daemon',
    'bin',
    'sys',
    'nobody',
    'sshd',
    'www-data',
  ])('rejects %j', (name) => {
    expect(isValidUnixUsername(name)).toBe(false);
  });
});

describe('tenantUnixUser', () => {
  it.each([
    ['acme', 't_acme'],
    ['deep-mind-2', 't_deep-mind-2'],
    ['a'.repeat(30), `t_${'a'.repeat(30)}`],
  ])('derives the unix user of %s', (code, user) => {
    expect(tenantUnixUser(code)).toBe(user);
    expect(isValidUnixUsername(user)).toBe(true);
  });

  it.each(['', 'a', 'ACME', 'acme corp', 'acme_x', '-acme', 'a'.repeat(31), 'acme;rm -rf'])(
    'refuses company code %j',
    (code) => {
      expect(() => tenantUnixUser(code)).toThrow(InvalidCompanyCodeError);
    },
  );
});

describe('isValidCompanyCode', () => {
  it('follows the pattern', () => {
    expect(isValidCompanyCode('acme')).toBe(true);
    expect(isValidCompanyCode('Acme')).toBe(false);
  });
});

describe('isValidMachineId', () => {
  it.each(['sim-01', 'local-01', 'h1', '0node', 'a'.repeat(63)])('accepts %s', (id) => {
    expect(isValidMachineId(id)).toBe(true);
  });

  it.each(['', 'a', '-node', 'Node-1', 'node_1', 'node.1', 'a'.repeat(64), 'node 1', 'host/1'])('rejects %j', (id) => {
    expect(isValidMachineId(id)).toBe(false);
  });
});
