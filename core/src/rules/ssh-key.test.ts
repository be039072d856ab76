import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { InvalidSshKeyError, parseSshPublicKey, validateSshPublicKey, type SshKeyErrorCode } from './ssh-key';

// Keys are made at test time (ssh-keygen, node crypto) and fingerprints compared with `ssh-keygen -l`,
// so no hand-copied key literal can be malformed.
const run = promisify(execFile);
let dir: string;
const keys: Record<string, { pub: string; priv: string }> = {};

async function sshKeygen(name: string, args: string[], comment: string): Promise<void> {
  const file = path.join(dir, name);
  await run('ssh-keygen', ['-q', ...args, '-N', '', '-C', comment, '-f', file]);
  keys[name] = { pub: (await readFile(`${file}.pub`, 'utf8')).trim(), priv: await readFile(file, 'utf8') };
}

async function sshKeygenFingerprint(publicKeyLine: string): Promise<string> {
  const file = path.join(dir, `check-${Math.random().toString(36).slice(2)}.pub`);
  await writeFile(file, publicKeyLine + '\n');
  const { stdout } = await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', file]);
  return stdout.split(' ')[1]!;
}

/** An `ssh-rsa` authorized_keys line for a node-generated RSA key of the given size. */
function rsaPublicLine(bits: number, comment: string): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const jwk = publicKey.export({ format: 'jwk' });
  const sshString = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  const mpint = (b64url: string) => {
    const raw = Buffer.from(b64url, 'base64url');
    return sshString(raw[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), raw]) : raw);
  };
  const blob = Buffer.concat([sshString(Buffer.from('ssh-rsa')), mpint(jwk.e!), mpint(jwk.n!)]);
  return `ssh-rsa ${blob.toString('base64')} ${comment}`;
}

function reasonOf(input: string): SshKeyErrorCode | 'accepted' {
  const result = validateSshPublicKey(input);
  return result.ok ? 'accepted' : result.reason;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'remotegpu-sshkey-'));
  await Promise.all([
    sshKeygen('ed25519', ['-t', 'ed25519'], 'alice@laptop'),
    sshKeygen('ecdsa256', ['-t', 'ecdsa', '-b', '256'], 'ec256'),
    sshKeygen('ecdsa384', ['-t', 'ecdsa', '-b', '384'], 'ec384'),
    sshKeygen('ecdsa521', ['-t', 'ecdsa', '-b', '521'], 'ec521'),
    sshKeygen('rsa3072', ['-t', 'rsa', '-b', '3072'], 'rsa key with spaces'),
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parseSshPublicKey accepts', () => {
  it.each([
    ['ed25519', 'ssh-ed25519', 256],
    ['ecdsa256', 'ecdsa-sha2-nistp256', 256],
    ['ecdsa384', 'ecdsa-sha2-nistp384', 384],
    ['ecdsa521', 'ecdsa-sha2-nistp521', 521],
    ['rsa3072', 'ssh-rsa', 3072],
  ])('%s keys, with the ssh-keygen fingerprint', async (name, type, bits) => {
    const line = keys[name]!.pub;
    const key = parseSshPublicKey(line);
    expect(key.type).toBe(type);
    expect(key.bits).toBe(bits);
    expect(key.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(key.fingerprint).toBe(await sshKeygenFingerprint(line));
    expect(key.authorizedKeysLine).toBe(line);
  });

  it('RSA keys of exactly 2048 bits', async () => {
    const line = rsaPublicLine(2048, 'rsa2048');
    const key = parseSshPublicKey(line);
    expect(key).toMatchObject({ type: 'ssh-rsa', bits: 2048, comment: 'rsa2048' });
    expect(key.fingerprint).toBe(await sshKeygenFingerprint(line));
  });

  it('normalises surrounding and inner whitespace into `type base64 comment`', () => {
    const [type, base64] = keys.ed25519!.pub.split(' ');
    const key = parseSshPublicKey(`  \t${type}\t ${base64}   bob  at   work \n`);
    expect(key.comment).toBe('bob at work');
    expect(key.authorizedKeysLine).toBe(`${type} ${base64} bob at work`);
  });

  it('a key without a comment', () => {
    const [type, base64] = keys.ed25519!.pub.split(' ');
    const key = parseSshPublicKey(`${type} ${base64}`);
    expect(key.comment).toBe('');
    expect(key.authorizedKeysLine).toBe(`${type} ${base64}`);
  });
});

describe('parseSshPublicKey rejects', () => {
  it('RSA keys shorter than 2048 bits', () => {
    expect(reasonOf(rsaPublicLine(1024, 'weak'))).toBe('rsa_too_short');
  });

  it('private keys', () => {
    expect(reasonOf(keys.ed25519!.priv)).toBe('private_key');
    expect(reasonOf(keys.rsa3072!.priv)).toBe('private_key');
  });

  it('several keys / several lines', () => {
    expect(reasonOf(`${keys.ed25519!.pub}\n${keys.ecdsa256!.pub}`)).toBe('multi_line');
    expect(reasonOf(`${keys.ed25519!.pub}\r\nsomething`)).toBe('multi_line');
  });

  it('authorized_keys options before the key', () => {
    expect(reasonOf(`command="/bin/sh -c 'id'" ${keys.ed25519!.pub}`)).toBe('options_not_allowed');
    expect(reasonOf(`no-pty,from="10.0.0.1" ${keys.ed25519!.pub}`)).toBe('options_not_allowed');
  });

  it.each<[string, string, SshKeyErrorCode]>([
    ['empty input', '   ', 'empty'],
    ['garbage', 'hello world', 'malformed'],
    ['a DSA key type', 'ssh-dss AAAAB3NzaC1kc3MAAACBAP', 'unsupported_type'],
    ['a security-key type', 'sk-ssh-ed25519@openssh.com AAAA', 'unsupported_type'],
    ['a type without data', 'ssh-ed25519', 'malformed'],
    ['non-base64 data', 'ssh-ed25519 AAAA$$$$ c', 'malformed'],
    ['base64 that is no key', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA== c', 'malformed'],
  ])('%s', (_name, input, reason) => {
    expect(reasonOf(input)).toBe(reason);
  });

  it('key data of another type than declared', () => {
    const [, ed25519Data] = keys.ed25519!.pub.split(' ');
    expect(reasonOf(`ssh-rsa ${ed25519Data} x`)).toBe('malformed');
    const [, ec384Data] = keys.ecdsa384!.pub.split(' ');
    expect(reasonOf(`ecdsa-sha2-nistp256 ${ec384Data} x`)).toBe('malformed');
  });

  it('truncated key data', () => {
    const [type, base64] = keys.ed25519!.pub.split(' ');
    const truncated = Buffer.from(base64!, 'base64').subarray(0, 40).toString('base64');
    expect(reasonOf(`${type} ${truncated}`)).toBe('malformed');
  });

  it('comments with control characters', () => {
    expect(reasonOf(`${keys.ed25519!.pub} \u0007bell`)).toBe('bad_comment');
  });

  it('throws a typed error', () => {
    expect(() => parseSshPublicKey('nonsense')).toThrow(InvalidSshKeyError);
  });
});
