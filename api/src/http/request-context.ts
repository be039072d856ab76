// A forked EntityManager per request (never the global one), reachable as req.em.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { RequestHandler } from 'express';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      em: EntityManager;
    }
  }
}

export function forkEntityManager(orm: MikroORM): RequestHandler {
  return (req, _res, next) => {
    req.em = orm.em.fork();
    next();
  };
}
