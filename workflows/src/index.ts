// The workflow bundle entry: every workflow the control-plane worker registers.
export { hostPingWorkflow } from './host-ping-workflow';
export { fleetHealthWorkflow } from './fleet-health-workflow';
export { metricsRollupWorkflow } from './metrics-rollup-workflow';
export { allocationWorkflow } from './allocation-workflow';
export { leaseWorkflow, extendLeaseUpdate, reclaimNowSignal, leaseStatusQuery } from './lease-workflow';
export { reclaimWorkflow, reclaimDecisionSignal, reclaimStatusQuery } from './reclaim-workflow';
export { sshResetWorkflow } from './ssh-reset-workflow';
export { tenantKeysSyncWorkflow } from './tenant-keys-sync-workflow';
