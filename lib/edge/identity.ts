/**
 * Who a user is, as every layer sees it: a role and a numeric id. Defined once, here, because the
 * Edge verifier, the token signer, the database layer and the admin page all check the same things.
 */
export const ROLES = ["USER", "ADMIN"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return value === "USER" || value === "ADMIN";
}

/** What every layer may know about a user: never the password hash, never the database row. */
export interface UserDto {
  id: number;
  email: string;
  name: string;
  role: Role;
}

/** User ids are INTEGER columns: a positive 32-bit integer on PostgreSQL. */
export const MAX_USER_ID = 2_147_483_647;
/** The decimal form of a user id as it appears in a URL or the `sub` claim: no sign, no leading zero. */
const USER_ID_TEXT = /^[1-9]\d{0,9}$/;

/** The id `text` names, or null when it cannot be a user id (so it reads as "no such user", never a 5xx). */
export function parseUserId(text: string): number | null {
  if (!USER_ID_TEXT.test(text)) return null;
  const id = Number(text);
  return id <= MAX_USER_ID ? id : null;
}
