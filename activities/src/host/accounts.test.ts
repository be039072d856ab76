import { disableAccountArgs, enableAccountArgs, parsePasswdLine, parseShadowLine } from './accounts';

const passwd = parsePasswdLine('alice:x:1001:1001::/home/alice:/bin/bash\n');
const shadow = (password: string, expire = '') => parseShadowLine(`alice:${password}:20000:0:99999:7::${expire}:`);

describe('account parsers', () => {
  it('parse getent lines', () => {
    expect(passwd).toEqual({ username: 'alice', uid: 1001, gid: 1001, homeDir: '/home/alice', shell: '/bin/bash' });
    expect(shadow('!', '1')).toEqual({ username: 'alice', password: '!', expireDays: 1 });
    expect(() => parsePasswdLine('garbage')).toThrow(/unexpected/);
  });
});

describe('enableAccountArgs', () => {
  it.each([
    ['useradd default (locked, no password)', '!', ['-p', '*']],
    ['no password at all', '', ['-p', '*']],
    ['locked key-only account', '!*', ['-p', '*']],
    ['key-only account', '*', []],
    ['password set', '$y$j9T$abc', []],
    ['locked password', '!$y$j9T$abc', ['-U']],
  ])('%s', (_, password, expected) => {
    expect(enableAccountArgs(passwd, shadow(password), '/bin/bash')).toEqual(expected);
  });

  it('clears the expiry and restores the shell of a disabled account', () => {
    const disabled = { ...passwd, shell: '/usr/sbin/nologin' };
    expect(enableAccountArgs(disabled, shadow('!*', '1'), '/bin/bash')).toEqual([
      '-p',
      '*',
      '-e',
      '',
      '-s',
      '/bin/bash',
    ]);
  });
});

describe('disableAccountArgs', () => {
  it('locks, expires and takes the shell; nothing when already done', () => {
    expect(disableAccountArgs(passwd, shadow('*'))).toEqual(['-L', '-e', '1', '-s', '/usr/sbin/nologin']);
    expect(disableAccountArgs({ ...passwd, shell: '/usr/sbin/nologin' }, shadow('!*', '1'))).toEqual([]);
  });
});
