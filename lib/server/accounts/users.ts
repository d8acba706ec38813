/**
 * The user directory: the only module that reads or writes the User table.
 * It returns small DTOs, never the row (the password hash stays here).
 */
import "server-only";
import { db, fastReads } from "@/lib/server/db/client";
import { isUniqueViolation } from "@/lib/server/db/errors";
import type { Role, UserDto } from "@/lib/edge/identity";

export type { Role, UserDto } from "@/lib/edge/identity";

const publicFields = { id: true, email: true, name: true, role: true } as const;

export class EmailTakenError extends Error {
  constructor() {
    super("email already registered");
    this.name = "EmailTakenError";
  }
}

/** Inserts a user; the unique index on email decides between concurrent sign-ups. */
export async function createUser(input: {
  email: string;
  name: string;
  passwordHash: string;
  role?: Role;
}): Promise<UserDto> {
  try {
    return await db().user.create({ data: input, select: publicFields });
  } catch (error) {
    if (isUniqueViolation(error)) throw new EmailTakenError();
    throw error;
  }
}

/** On every authenticated request: read through the driver (lib/server/db/fast-reads.ts explains why). */
export async function findUserById(id: number): Promise<UserDto | null> {
  return fastReads().userById(id);
}

export async function findCredentialsByEmail(email: string): Promise<(UserDto & { passwordHash: string }) | null> {
  return db().user.findUnique({ where: { email }, select: { ...publicFields, passwordHash: true } });
}

export async function findPasswordHash(id: number): Promise<string | null> {
  const row = await db().user.findUnique({ where: { id }, select: { passwordHash: true } });
  return row?.passwordHash ?? null;
}

export async function updatePasswordHash(id: number, passwordHash: string): Promise<void> {
  await db().user.update({ where: { id }, data: { passwordHash } });
}

export async function updateRole(id: number, role: Role): Promise<UserDto | null> {
  const result = await db().user.updateMany({ where: { id }, data: { role } });
  return result.count === 0 ? null : findUserById(id);
}

export async function deleteUser(id: number): Promise<boolean> {
  const result = await db().user.deleteMany({ where: { id } });
  return result.count > 0;
}

export async function listUsers(limit = 100): Promise<UserDto[]> {
  return db().user.findMany({ select: publicFields, orderBy: { id: "asc" }, take: limit });
}

export async function countUsers(): Promise<{ total: number; admins: number }> {
  const [total, admins] = await Promise.all([db().user.count(), db().user.count({ where: { role: "ADMIN" } })]);
  return { total, admins };
}
