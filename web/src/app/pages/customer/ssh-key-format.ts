// Shape check of a pasted OpenSSH public key line (the API does the real parsing and validation).
const KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
];

export function looksLikePublicKey(line: string): boolean {
  const parts = line.trim().split(/\s+/);
  if (parts.length < 2 || !KEY_TYPES.includes(parts[0])) return false;
  return /^[A-Za-z0-9+/]+={0,3}$/.test(parts[1]) && parts[1].length >= 60;
}
