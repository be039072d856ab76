// argon2id password hashing. Verifying against a fixed dummy hash when the user does not exist keeps
// the response time of "no such user" and "wrong password" alike.
import argon2 from 'argon2';

const HASH_OPTIONS = { type: argon2.argon2id } as const;
let dummyHash: Promise<string> | undefined;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, HASH_OPTIONS);
}

export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  if (!hash) {
    dummyHash ??= argon2.hash('not-a-real-password-0', HASH_OPTIONS);
    await argon2.verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await argon2.verify(hash, password);
  } catch {
    // A malformed stored hash must not become a 500 on login.
    return false;
  }
}
