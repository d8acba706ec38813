/**
 * What an access token carries, and nothing more: the token is base64url, readable by anyone who
 * holds it, so it names the user by primary key only (no email, no name). RFC 9068 §2.2 lists the
 * registered claims; `role` and `sid` are ours.
 */
import { z } from "zod";

export const ACCESS_TOKEN_TYPE = "at+jwt"; // RFC 9068 §2.1: explicit typing (RFC 8725 §3.11)

export const accessClaimsSchema = z.object({
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  sub: z.string().regex(/^[1-9]\d{0,15}$/, "sub is not a user id"),
  role: z.enum(["USER", "ADMIN"]),
  iat: z.number().int(),
  exp: z.number().int(),
  jti: z.string().min(1).max(64),
  sid: z.string().min(1).max(64),
});

export type AccessClaims = z.infer<typeof accessClaimsSchema>;

export const REQUIRED_CLAIMS = ["iss", "aud", "sub", "role", "iat", "exp", "jti", "sid"] as const;
