// @remotegpu/activities: side-effecting activity factories. The agent worker registers the host ones.
export * from './host';
export * from './control';
