// After a key is added or deleted, tenantKeysSyncWorkflow carries the change to the hosts the tenant
// holds. The key change is already committed: a failure here is logged (and the operation marked failed)
// but never undoes it or fails the request.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import {
  KEY_SYNC_OPERATION_KIND,
  tenantKeysSyncWorkflowId,
  type TenantKeysSyncWorkflowInput,
} from '@remotegpu/core/contracts';
import { failOperation, insertOperation } from '../modules/allocations/allocation-repository';
import { searchAttributes } from '../modules/allocations/temporal-starts';

export interface KeySyncDeps {
  temporal: Client;
  controlTaskQueue: string;
  logger: Logger;
  now: () => Date;
}

export interface KeySyncRequest {
  tenantId: number;
  requestedBy: number;
  /** Public key lines just deleted (revoked on the hosts). */
  revokedPublicKeys?: string[];
}

export class KeySyncStarter {
  constructor(private readonly deps: KeySyncDeps) {}

  /** The sync operation's id; null when not even its row could be written. */
  async start(em: EntityManager, request: KeySyncRequest): Promise<string | null> {
    const requestId = randomUUID();
    const operationId = `op-${randomUUID()}`;
    const workflowId = tenantKeysSyncWorkflowId(request.tenantId, requestId);
    const log = this.deps.logger.child({ tenantId: request.tenantId, operationId, workflowId });
    try {
      await insertOperation(
        em,
        {
          id: operationId,
          kind: KEY_SYNC_OPERATION_KIND,
          machineId: null,
          allocationId: null,
          tenantId: request.tenantId,
          workflowId,
          input: { request_id: requestId, reason: 'key_sync' },
          requestedBy: request.requestedBy,
        },
        this.deps.now(),
      );
    } catch (err) {
      log.error({ err }, 'ssh key sync: cannot record the operation; hosts keep their previous keys');
      return null;
    }
    const input: TenantKeysSyncWorkflowInput = {
      tenantId: request.tenantId,
      requestId,
      operationId,
      revokedPublicKeys: request.revokedPublicKeys ?? [],
      requestedBy: request.requestedBy,
    };
    try {
      await this.deps.temporal.workflow.start('tenantKeysSyncWorkflow', {
        taskQueue: this.deps.controlTaskQueue,
        workflowId,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        typedSearchAttributes: searchAttributes({ kind: KEY_SYNC_OPERATION_KIND, tenantId: request.tenantId }),
      });
    } catch (err) {
      log.error({ err }, 'ssh key sync: workflow not started; hosts keep their previous keys');
      await failOperation(em, operationId, `workflow not started: ${(err as Error).message}`, this.deps.now()).catch(
        (failure: unknown) => log.error({ err: failure }, 'ssh key sync: cannot mark the operation failed'),
      );
    }
    return operationId;
  }
}
