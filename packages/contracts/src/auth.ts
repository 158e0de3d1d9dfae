import { z } from 'zod';
import { Id, IsoDateTime, Role } from './common.ts';

export const Email = z
  .email({ error: 'must be a valid email address' })
  .max(254)
  .transform((e) => e.trim().toLowerCase());

export const Password = z.string().min(10, 'must be at least 10 characters').max(200);

export const SignupInput = z.object({
  email: Email,
  password: Password,
  name: z.string().trim().min(1).max(120),
  workspaceName: z.string().trim().min(1).max(120),
});
export type SignupInput = z.infer<typeof SignupInput>;

export const LoginInput = z.object({
  email: Email,
  // Not Password: a login must not reveal the password rules, and old passwords may be shorter.
  password: z.string().min(1).max(200),
  /** Which workspace to open when the user belongs to several; defaults to the first one. */
  workspaceId: Id.optional(),
});
export type LoginInput = z.infer<typeof LoginInput>;

export const Me = z
  .object({
    user: z.object({ id: Id, email: z.string(), name: z.string() }),
    workspace: z.object({ id: Id, name: z.string() }),
    role: Role,
    /** Send back as `x-csrf-token` on unsafe requests authenticated by the session cookie. */
    csrfToken: z.string().nullable(),
    workspaces: z.array(z.object({ id: Id, name: z.string(), role: Role })),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof Me>;

export const CreateApiKeyInput = z.object({
  name: z.string().trim().min(1).max(120),
  role: Role.exclude(['owner']).default('admin'),
});
export type CreateApiKeyInput = z.infer<typeof CreateApiKeyInput>;

export const ApiKey = z
  .object({
    id: Id,
    name: z.string(),
    prefix: z.string(),
    role: Role,
    createdAt: IsoDateTime,
    lastUsedAt: IsoDateTime.nullable(),
    revokedAt: IsoDateTime.nullable(),
  })
  .meta({ id: 'ApiKey' });
export type ApiKey = z.infer<typeof ApiKey>;

export const CreatedApiKey = ApiKey.extend({
  /** The whole key. Shown once: only its hash is stored. */
  key: z.string(),
}).meta({ id: 'CreatedApiKey' });
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;

export const Member = z
  .object({ id: Id, userId: Id, email: z.string(), name: z.string(), role: Role, createdAt: IsoDateTime })
  .meta({ id: 'Member' });
export type Member = z.infer<typeof Member>;

export const AddMemberInput = z.object({ email: Email, role: Role });
export const UpdateMemberInput = z.object({ role: Role });

export const AuditEntry = z
  .object({
    id: Id,
    actorType: z.enum(['user', 'api_key', 'partner', 'system']),
    actorId: z.string().nullable(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    data: z.unknown().nullable(),
    createdAt: IsoDateTime,
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntry>;
