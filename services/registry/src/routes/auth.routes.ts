/** /auth/*, /me and the JWKS: thin handlers over the identity use cases. */
import { Type } from 'typebox';
import { rateLimitBy, type HttpServer, type RateLimiter } from '@vinculo/service-kit/http';
import type { AuthHook } from '@vinculo/service-kit/auth';
import * as identity from '../domain/identity.js';
import type { IdentityDeps } from '../domain/identity.js';
import type { KeyStore } from '../domain/signing-keys.js';
import { normalizeEmail } from '../domain/secrets.js';
import { contextOf } from './context.js';
import * as S from './schemas.js';

export interface AuthRouteDeps extends IdentityDeps {
  keys: KeyStore;
  authenticate: AuthHook;
  limiter: RateLimiter;
  limits: { loginPerAccount: number; loginPerIp: number; loginWindowMs: number; signupPerIpPerHour: number };
}

export function authRoutes(app: HttpServer, deps: AuthRouteDeps): void {
  const { limiter, limits } = deps;
  // Login is limited per address and per account; if Redis is down it fails closed (503): an unlimited
  // password-guessing window is worse than a short outage of logging in.
  const loginByIp = rateLimitBy(limiter, (req) => `ip:${req.ip}`, {
    name: 'login-ip',
    max: limits.loginPerIp,
    windowMs: limits.loginWindowMs,
    failClosed: true,
  });
  const loginByAccount = rateLimitBy(
    limiter,
    (req) => {
      const email = (req.body as { email?: unknown } | undefined)?.email;
      return typeof email === 'string' ? `account:${normalizeEmail(email)}` : undefined;
    },
    { name: 'login-account', max: limits.loginPerAccount, windowMs: limits.loginWindowMs, failClosed: true },
  );
  const signupByIp = rateLimitBy(limiter, (req) => `ip:${req.ip}`, {
    name: 'signup-ip',
    max: limits.signupPerIpPerHour,
    windowMs: 3_600_000,
    failClosed: true,
  });
  const secured = { 401: S.Problem, 400: S.Problem };

  app.post(
    '/auth/signup',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create a person and their organisation',
        body: S.SignupBody,
        response: { 201: S.SignupResponse, 400: S.Problem, 409: S.Problem, 429: S.Problem },
      },
      preHandler: signupByIp,
    },
    async (req, reply) => reply.code(201).send(await identity.signup(deps, req.body, contextOf(req))),
  );

  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        body: S.LoginBody,
        response: { 200: S.TokenPair, ...secured, 429: S.Problem },
      },
      preHandler: [loginByIp, loginByAccount],
    },
    async (req) => identity.login(deps, req.body),
  );

  app.post(
    '/auth/refresh',
    {
      schema: { tags: ['auth'], body: S.RefreshBody, response: { 200: S.TokenPair, ...secured } },
      preHandler: loginByIp,
    },
    async (req) => identity.refresh(deps, req.body),
  );

  app.post(
    '/auth/token',
    {
      schema: {
        tags: ['auth'],
        summary: 'Exchange an API key for a short-lived access token',
        body: S.ApiKeyTokenBody,
        response: { 200: S.AccessToken, ...secured },
      },
      preHandler: loginByIp,
    },
    async (req) => identity.exchangeApiKey(deps, req.body),
  );

  app.post(
    '/auth/switch',
    {
      schema: {
        tags: ['auth'],
        security: [{ bearer: [] }],
        body: S.SwitchBody,
        response: { 200: S.TokenPair, ...secured, 403: S.Problem, 404: S.Problem },
      },
      onRequest: deps.authenticate,
    },
    async (req) => identity.switchOrganization(deps, req.body, contextOf(req)),
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['auth'],
        security: [{ bearer: [] }],
        body: Type.Optional(S.LogoutBody),
        response: { 204: Type.Null(), ...secured, 403: S.Problem },
      },
      onRequest: deps.authenticate,
    },
    async (req, reply) => {
      await identity.logout(deps, req.body ?? {}, contextOf(req));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      schema: { tags: ['auth'], security: [{ bearer: [] }], response: { 200: S.MeResponse, 401: S.Problem } },
      onRequest: deps.authenticate,
    },
    async (req) => identity.me(deps, contextOf(req)),
  );

  app.get(
    '/.well-known/jwks.json',
    { schema: { tags: ['auth'], response: { 200: S.Jwks } }, config: { rateLimit: false } },
    async (_req, reply) => {
      void reply.header('cache-control', 'public, max-age=60');
      return deps.keys.jwks();
    },
  );
}
