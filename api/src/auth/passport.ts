// Passport with its own instance per app (no global state across in-process test apps):
// `local` checks username + password, `jwt` checks the bearer access token, the blacklist, the
// session family and that user and tenant are still active.
import type { MikroORM } from '@mikro-orm/postgresql';
import passport from 'passport';
import { ExtractJwt, Strategy as JwtStrategy } from 'passport-jwt';
import { Strategy as LocalStrategy } from 'passport-local';
import { findIdentityById, isActiveIdentity, type IdentityRecord } from '../identity/user-repository';
import type { AuthUser } from './auth-user';
import type { AuthService } from './auth-service';
import { JWT_AUDIENCE, JWT_ISSUER, type AccessClaims, type TokenService } from './token-service';

/** Why the jwt strategy refused, passed to the guard as `info`. */
export class JwtRejection {
  constructor(readonly reason: 'revoked' | 'inactive') {}
}

export function createPassport(opts: {
  orm: MikroORM;
  secret: string;
  tokens: TokenService;
  auth: AuthService;
}): passport.PassportStatic {
  const instance = new passport.Passport() as passport.PassportStatic;

  instance.use(
    'local',
    new LocalStrategy(
      { usernameField: 'username', passwordField: 'password', session: false },
      (username, password, done) => {
        opts.auth
          .verifyCredentials(opts.orm.em.fork(), username, password)
          .then((identity: IdentityRecord | null) => done(null, (identity ?? false) as Express.User | false))
          .catch(done);
      },
    ),
  );

  instance.use(
    'jwt',
    new JwtStrategy(
      {
        jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
        secretOrKey: opts.secret,
        algorithms: ['HS256'],
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
      },
      (claims: AccessClaims, done: (err: unknown, user?: AuthUser | false, info?: unknown) => void) => {
        (async () => {
          const [blacklisted, familyActive] = await Promise.all([
            opts.tokens.isBlacklisted(claims.jti),
            opts.tokens.isFamilyActive(claims.fid),
          ]);
          if (blacklisted || !familyActive) return done(null, false, new JwtRejection('revoked'));
          const identity = await findIdentityById(opts.orm.em.fork(), Number(claims.sub));
          if (!identity || !isActiveIdentity(identity)) return done(null, false, new JwtRejection('inactive'));
          const user: AuthUser = {
            id: identity.id,
            username: identity.username,
            role: identity.role,
            tenantId: identity.tenantId,
            companyCode: identity.companyCode,
            tenantRole: identity.tenantRole,
            mustChangePassword: identity.mustChangePassword,
            jti: claims.jti,
            exp: claims.exp,
            familyId: claims.fid,
          };
          done(null, user);
        })().catch(done);
      },
    ),
  );
  return instance;
}
