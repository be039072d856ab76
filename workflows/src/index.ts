// The workflow bundle entry: every workflow the control-plane worker registers.
export { hostPingWorkflow } from './host-ping-workflow';
