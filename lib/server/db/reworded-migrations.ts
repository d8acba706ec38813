/**
 * Migrations whose comments were reworded after they shipped, with the checksums of their earlier text.
 *
 * The statements did not change, only a comment; a database that applied the earlier text has exactly
 * the schema the current text builds. Our migrator accepts an earlier checksum listed here and records
 * the current one, so the history matches the files again (and `prisma migrate status` reports nothing
 * modified). Any other difference is still an edit after the fact, and the migrator stops.
 *
 * Never list a checksum whose SQL differs in anything but comments.
 */
import "server-only";

export const REWORDED_MIGRATIONS: Readonly<Record<string, readonly string[]>> = {
  // Both dialects' copies of the refresh-family migration: the first comment line named a work item.
  "20261127223518_refresh_family_one_row": [
    "1ea8deb72c57fe743094ab5b1c664259f30099a21facc23f009df63c53c53b3a",
    "4e43c9dbec40deb8f6fc7ec8842cee58e8b97f42619e6b3c4b7be74de1ec002f",
  ],
};

export function isEarlierWording(name: string, checksum: string): boolean {
  return REWORDED_MIGRATIONS[name]?.includes(checksum) ?? false;
}
