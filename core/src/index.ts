// @remotegpu/core: entities, enums, state machines, pure rules. No I/O at import time.
// (Workflow code imports `@remotegpu/core/contracts` instead, which has no runtime dependencies.)
export * from './enums';
export * from './entities';
export * from './orm-config';
export * from './rules';
export * from './state';
