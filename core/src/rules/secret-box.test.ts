import { createSecretBox, generateSecret, hashSecret, SecretBoxError } from './secret-box';

const KEY = 'unit-test-key-material-0123456789abcdef';

describe('secret box', () => {
  const box = createSecretBox(KEY);

  it('round-trips and never repeats a ciphertext', () => {
    const secret = generateSecret();
    const a = box.encrypt(secret);
    const b = box.encrypt(secret);
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret);
    expect(box.decrypt(a)).toBe(secret);
    expect(box.decrypt(b)).toBe(secret);
  });

  it('round-trips unicode and the empty string', () => {
    expect(box.decrypt(box.encrypt('密钥 ✓'))).toBe('密钥 ✓');
    expect(box.decrypt(box.encrypt(''))).toBe('');
  });

  it('binds associated data', () => {
    const token = box.encrypt('s3cret', 'key-1');
    expect(box.decrypt(token, 'key-1')).toBe('s3cret');
    expect(() => box.decrypt(token, 'key-2')).toThrow(SecretBoxError);
    expect(() => box.decrypt(token)).toThrow(SecretBoxError);
  });

  it('fails with another key', () => {
    const token = box.encrypt('s3cret');
    expect(() => createSecretBox(KEY + 'x').decrypt(token)).toThrow(SecretBoxError);
  });

  it('detects tampering', () => {
    const token = box.encrypt('s3cret-value');
    const [v, iv, tag, data] = token.split('.');
    const flipped = Buffer.from(data!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => box.decrypt([v, iv, tag, flipped.toString('base64url')].join('.'))).toThrow(SecretBoxError);
  });

  it.each(['', 'v1.a.b', 'v2.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AA', 'v1.AA.AAAAAAAAAAAAAAAAAAAAAA.AA'])(
    'rejects the malformed token %j',
    (token) => {
      expect(() => box.decrypt(token)).toThrow(SecretBoxError);
    },
  );

  it('refuses short key material', () => {
    expect(() => createSecretBox('too-short')).toThrow(SecretBoxError);
  });
});

describe('hashSecret / generateSecret', () => {
  it('hashes with sha256 hex', () => {
    expect(hashSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('generates distinct 256-bit secrets', () => {
    const a = generateSecret();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(generateSecret()).not.toBe(a);
  });
});
