// Agent keys: a key id + secret per machine. The secret is returned once; the database keeps an
// argon2id hash (to check a presented secret) and a secret-box ciphertext (HMAC verification needs
// the secret itself). Issuing a new key revokes the machine's previous ones.
import { randomBytes } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  AgentCredential,
  Machine,
  createSecretBox,
  generateSecret,
  isValidMachineId,
  type SecretBox,
} from '@remotegpu/core';
import { hashPassword } from '../auth/passwords';
import { AppError } from '../http/errors';

export interface IssuedAgentCredential {
  machine_id: string;
  key_id: string;
  /** Shown once; store it in the agent's configuration. */
  secret: string;
  created_at: string;
  revoked_key_ids: string[];
}

export class AgentCredentialService {
  private readonly box: SecretBox;

  constructor(
    encryptionKey: string,
    private readonly now: () => Date,
  ) {
    this.box = createSecretBox(encryptionKey);
  }

  async issue(em: EntityManager, machineId: string): Promise<IssuedAgentCredential> {
    if (!isValidMachineId(machineId)) throw AppError.notFound('machine');
    const keyId = `ak_${randomBytes(12).toString('hex')}`;
    const secret = generateSecret();
    const secretHash = await hashPassword(secret);
    // The key id is the associated data: a ciphertext copied to another row does not decrypt.
    const secretEncrypted = this.box.encrypt(secret, keyId);
    return em.transactional(async (tx) => {
      // Lock the machine row so two concurrent rotations cannot both leave an active key.
      const machine = await tx.findOne(
        Machine,
        { id: machineId, deletedAt: null },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!machine) throw AppError.notFound('machine');
      const active = await tx.find(AgentCredential, { machine: machineId, status: 'active' });
      const at = this.now();
      for (const old of active) tx.assign(old, { status: 'revoked', revokedAt: at });
      const created = tx.create(AgentCredential, {
        machine,
        keyId,
        secretHash,
        secretEncrypted,
        status: 'active',
        createdAt: at,
      });
      await tx.flush();
      return {
        machine_id: machineId,
        key_id: created.keyId,
        secret,
        created_at: at.toISOString(),
        revoked_key_ids: active.map((c) => c.keyId),
      };
    });
  }
}
