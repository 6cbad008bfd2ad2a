/** Request and response shapes of the registry's public API (TypeBox; OpenAPI is generated from them). */
import { ProblemSchema } from '@vinculo/service-kit/http';
import { Type } from 'typebox';

export const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 });
// Long passphrases welcome; the upper bound keeps argon2 work bounded.
export const Password = Type.String({ minLength: 10, maxLength: 256 });
export const PersonName = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
export const OrgName = Type.String({ minLength: 1, maxLength: 300, pattern: '\\S' });
export const Role = Type.Union([
  Type.Literal('owner'),
  Type.Literal('admin'),
  Type.Literal('member'),
  Type.Literal('viewer'),
]);
export const OrgType = Type.Union([
  Type.Literal('buyer'),
  Type.Literal('supplier'),
  Type.Literal('bureau'),
  Type.Literal('auditor'),
  Type.Literal('platform'),
]);
export const SignupOrgType = Type.Union([
  Type.Literal('buyer'),
  Type.Literal('supplier'),
  Type.Literal('bureau'),
  Type.Literal('auditor'),
]);
export const Secret = Type.String({ minLength: 10, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' });
export const Country = Type.String({ pattern: '^[A-Z]{2}$' });

export const TokenPair = Type.Object({
  accessToken: Type.String(),
  refreshToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer(),
  organization: Type.Object({ id: Type.String(), name: Type.String(), type: OrgType, role: Role }),
});

export const SignupBody = Type.Object(
  {
    email: Email,
    password: Password,
    name: PersonName,
    organization: Type.Object(
      { name: OrgName, type: SignupOrgType, country: Type.Optional(Country) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const SignupResponse = Type.Intersect([
  TokenPair,
  Type.Object({ user: Type.Object({ id: Type.String(), email: Type.String(), name: Type.String() }) }),
]);

export const LoginBody = Type.Object(
  {
    email: Email,
    password: Type.String({ minLength: 1, maxLength: 256 }),
    organizationId: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { additionalProperties: false },
);

export const RefreshBody = Type.Object({ refreshToken: Secret }, { additionalProperties: false });
export const SwitchBody = Type.Object(
  { organizationId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
export const LogoutBody = Type.Object(
  { refreshToken: Type.Optional(Secret) },
  { additionalProperties: false },
);
export const ApiKeyTokenBody = Type.Object({ apiKey: Secret }, { additionalProperties: false });
export const AccessToken = Type.Object({
  accessToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer(),
});

export const MeResponse = Type.Object({
  user: Type.Union([
    Type.Object({ id: Type.String(), email: Type.String(), name: Type.String() }),
    Type.Null(),
  ]),
  organization: Type.Union([
    Type.Object({ id: Type.String(), name: Type.String(), type: OrgType, role: Type.Optional(Role) }),
    Type.Null(),
  ]),
  memberships: Type.Array(
    Type.Object({ organizationId: Type.String(), name: Type.String(), type: OrgType, role: Role }),
  ),
  apiKeyId: Type.Union([Type.String(), Type.Null()]),
  scopes: Type.Array(Type.String()),
});

export const Jwks = Type.Object({
  keys: Type.Array(
    Type.Object({
      kty: Type.String(),
      crv: Type.Optional(Type.String()),
      x: Type.Optional(Type.String()),
      y: Type.Optional(Type.String()),
      kid: Type.String(),
      alg: Type.String(),
      use: Type.String(),
    }),
  ),
});

// Null first: ajv coerces types, and with the string first a null would become "".
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([Type.Null(), t]);

export const Organization = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: OrgType,
  country: Type.String(),
  taxId: Nullable(Type.String()),
  state: Nullable(Type.String()),
  municipality: Nullable(Type.String()),
  website: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const OrganizationPatch = Type.Object(
  {
    name: Type.Optional(OrgName),
    country: Type.Optional(Country),
    taxId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 20 }))),
    state: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{2}$' }))),
    municipality: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
    website: Type.Optional(Nullable(Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 500 }))),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const OrgParams = Type.Object({ orgId: Type.String({ format: 'uuid' }) });
export const MemberParams = Type.Object({
  orgId: Type.String({ format: 'uuid' }),
  userId: Type.String({ format: 'uuid' }),
});
export const InvitationParams = Type.Object({
  orgId: Type.String({ format: 'uuid' }),
  invitationId: Type.String({ format: 'uuid' }),
});
export const ApiKeyParams = Type.Object({
  orgId: Type.String({ format: 'uuid' }),
  keyId: Type.String({ format: 'uuid' }),
});

export const Member = Type.Object({
  userId: Type.String(),
  name: Type.String(),
  email: Type.String(),
  role: Role,
  createdAt: Type.String(),
});
export const RoleBody = Type.Object({ role: Role }, { additionalProperties: false });

export const Invitation = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: Role,
  status: Type.String(),
  createdAt: Type.String(),
  expiresAt: Type.String(),
});
export const InvitationBody = Type.Object(
  { email: Email, role: Role, locale: Type.Optional(Type.Union([Type.Literal('es'), Type.Literal('en')])) },
  { additionalProperties: false },
);
export const AcceptInvitationBody = Type.Object(
  { token: Secret, name: Type.Optional(PersonName), password: Type.Optional(Password) },
  { additionalProperties: false },
);

export const ApiKeyScope = Type.Union([
  Type.Literal('registry:read'),
  Type.Literal('registry:write'),
  Type.Literal('matching:read'),
  Type.Literal('matching:write'),
]);
export const ApiKey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  scopes: Type.Array(Type.String()),
  createdAt: Type.String(),
  lastUsedAt: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
});
export const ApiKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    scopes: Type.Array(ApiKeyScope, { minItems: 1, maxItems: 4 }),
  },
  { additionalProperties: false },
);
export const CreatedApiKey = Type.Intersect([ApiKey, Type.Object({ key: Type.String() })]);
export const Problem = ProblemSchema;
