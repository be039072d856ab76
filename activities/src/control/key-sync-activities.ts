// Control activity of tenantKeysSyncWorkflow: which hosts a tenant holds right now, with its unix user.
import { Allocation } from '@remotegpu/core';
import type { KeySyncControlActivities, KeySyncTarget } from '@remotegpu/core/contracts';
import type { ControlActivityDeps } from './deps';

export function createKeySyncActivities(deps: Pick<ControlActivityDeps, 'orm'>): KeySyncControlActivities {
  return {
    async listTenantKeySyncTargets({ tenantId }: { tenantId: number }): Promise<{ targets: KeySyncTarget[] }> {
      const rows = await deps.orm.em
        .fork()
        .find(Allocation, { tenant: tenantId, status: 'active' }, { orderBy: { machine: 'asc' } });
      return {
        targets: rows.map((a) => ({ machineId: a.machine.id, allocationId: a.id, unixUser: a.unixUser })),
      };
    },
  };
}
