import { utils } from 'ssh2';
import {
  identityOfAuthorizedLine,
  mergeAuthorizedKeys,
  parsePublicKeyLine,
  removeAuthorizedKeys,
} from './authorized-keys';

const ed = utils.generateKeyPairSync('ed25519', { comment: 'alice@laptop' }).public;
const ecdsa = utils.generateKeyPairSync('ecdsa', { bits: 256, comment: 'ci' }).public;
const rsa = utils.generateKeyPairSync('rsa', { bits: 2048 }).public;

describe('parsePublicKeyLine', () => {
  it('accepts OpenSSH public keys and normalises them', () => {
    const key = parsePublicKeyLine(`  ${ed}\n`);
    expect(key.type).toBe('ssh-ed25519');
    expect(key.comment).toBe('alice@laptop');
    expect(key.line).toBe(ed);
    expect(parsePublicKeyLine(ecdsa).type).toBe('ecdsa-sha2-nistp256');
    expect(parsePublicKeyLine(rsa).identity).toBe(rsa.trim());
  });

  it.each([
    ['not a string', 42],
    ['empty', ''],
    ['two lines', `${ed}\n${ecdsa}`],
    ['options', `command="/bin/sh" ${ed}`],
    ['unknown type', 'ssh-dss AAAAB3NzaC1kc3MAAACBAP== x'],
    ['not base64', 'ssh-ed25519 !!!! x'],
    ['blob of another type', `ssh-rsa ${ed.split(' ')[1]}`],
    ['truncated blob', `ssh-ed25519 ${Buffer.from('\0\0\0\x0bssh-ed25519').toString('base64')}`],
  ])('rejects %s', (_, input) => {
    expect(() => parsePublicKeyLine(input)).toThrow(
      expect.objectContaining({ type: 'INVALID_INPUT', nonRetryable: true }),
    );
  });
});

describe('authorized_keys merging', () => {
  const a = parsePublicKeyLine(ed);
  const b = parsePublicKeyLine(ecdsa);

  it('finds the key in lines with options and comments', () => {
    expect(identityOfAuthorizedLine(`no-pty,from="10.0.0.1" ${ed}`)).toBe(a.identity);
    expect(identityOfAuthorizedLine('# a comment')).toBeNull();
    expect(identityOfAuthorizedLine('')).toBeNull();
  });

  it('appends only missing keys and keeps what the file had', () => {
    const first = mergeAuthorizedKeys('', [a]);
    expect(first).toEqual({ content: `${ed}\n`, added: 1, alreadyPresent: 0 });
    const existing = `# mine\nrestrict ${a.identity} other-comment`;
    const second = mergeAuthorizedKeys(existing, [a, b, b]);
    expect(second).toEqual({ content: `${existing}\n${b.line}\n`, added: 1, alreadyPresent: 2 });
    expect(mergeAuthorizedKeys(second.content, [a, b])).toEqual({
      content: second.content,
      added: 0,
      alreadyPresent: 2,
    });
  });

  it('removes the named keys only, or everything', () => {
    const content = `# mine\n${ed}\nrestrict ${ecdsa}\nssh-dss AAAA legacy\n`;
    expect(removeAuthorizedKeys(content, [a])).toEqual({
      content: `# mine\nrestrict ${ecdsa}\nssh-dss AAAA legacy\n`,
      removed: 1,
    });
    expect(removeAuthorizedKeys(content, [parsePublicKeyLine(rsa)])).toEqual({ content, removed: 0 });
    // 'all' leaves nothing that could grant access, including types this parser does not know.
    expect(removeAuthorizedKeys(content, 'all')).toEqual({ content: '', removed: 3 });
    expect(removeAuthorizedKeys('', 'all')).toEqual({ content: '', removed: 0 });
  });
});
