/**
 * Input limits, shared by the forms (maxlength, hints) and the server's validation, which enforces them.
 */

/** OWASP ASVS 2.1.1 / 2.1.2: at least 8 characters, at most 128, never silently truncated. */
export const PASSWORD_MIN_CHARACTERS = 8;
export const PASSWORD_MAX_CHARACTERS = 128;
/** RFC 5321 §4.5.3.1.3: a forward path is at most 256 octets including the angle brackets. */
export const EMAIL_MAX_LENGTH = 254;
export const NAME_MAX_LENGTH = 100;
