import type { MikroORM } from '@mikro-orm/core';

/** What the control activities need, injected by the control worker (workers/src/control-activities.ts). */
export interface ControlActivityDeps {
  /** An initialised MikroORM; each activity call works in its own em.fork(). */
  orm: MikroORM;
  clock: { now(): Date };
  /** Where reminders and alerts are also logged (a pino logger fits). */
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}
