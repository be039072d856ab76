// Authenticated encryption of small secrets at rest (agent HMAC secrets in agent_credentials.secret_encrypted):
// AES-256-GCM with a key derived (HKDF-SHA256) from the configured key material, a random 96-bit IV per
// message, optional associated data (e.g. the key id, so a ciphertext cannot be moved to another row).
// Token format: `v1.<iv>.<tag>.<ciphertext>`, base64url parts.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const KEY_INFO = 'remotegpu secret-box v1';
export const SECRET_BOX_MIN_KEY_LENGTH = 32;

export class SecretBoxError extends Error {
  readonly code = 'SECRET_BOX';

  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export interface SecretBox {
  encrypt(plaintext: string, associatedData?: string): string;
  decrypt(token: string, associatedData?: string): string;
}

export function createSecretBox(keyMaterial: string): SecretBox {
  if (keyMaterial.length < SECRET_BOX_MIN_KEY_LENGTH) {
    throw new SecretBoxError(`secret-box key material must be at least ${SECRET_BOX_MIN_KEY_LENGTH} characters`);
  }
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(keyMaterial, 'utf8'), Buffer.alloc(0), KEY_INFO, 32));

  return {
    encrypt(plaintext, associatedData) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      if (associatedData !== undefined) cipher.setAAD(Buffer.from(associatedData, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv, tag, ciphertext].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
    },
    decrypt(token, associatedData) {
      const parts = token.split('.');
      if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretBoxError('not a secret-box token');
      const [iv, tag, ciphertext] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
      if (iv.length !== 12 || tag.length !== 16) throw new SecretBoxError('not a secret-box token');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        if (associatedData !== undefined) decipher.setAAD(Buffer.from(associatedData, 'utf8'));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch {
        // wrong key, wrong associated data or tampered token: GCM authentication failed
        throw new SecretBoxError('secret-box token cannot be decrypted');
      }
    },
  };
}

/** What agent_credentials.secret_hash stores: sha256 hex of the secret (not a password; high entropy). */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A new random secret (256 bits, base64url). */
export function generateSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
