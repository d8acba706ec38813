-- One row per refresh family, not one per token: the live token's hash moves onto the family row and the
-- per-token table goes. Every family that still holds an unused token keeps working: that token becomes
-- the live one and its used ancestors are counted as the generation. A family without an unused token can
-- never refresh again and is not carried over.

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_RefreshTokenFamily" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" INTEGER NOT NULL,
    "sessionId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "revokedAt" DATETIME,
    "revokedReason" TEXT,
    "generation" INTEGER NOT NULL DEFAULT 0,
    "currentHash" TEXT NOT NULL,
    "previousHash" TEXT,
    "rotatedAt" DATETIME,
    "successorSalt" TEXT,
    "rateWindowStartedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rateWindowCount" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "RefreshTokenFamily_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_RefreshTokenFamily" ("createdAt", "expiresAt", "id", "revokedAt", "revokedReason", "sessionId", "userId", "rateWindowStartedAt", "currentHash", "generation")
SELECT f."createdAt", f."expiresAt", f."id", f."revokedAt", f."revokedReason", f."sessionId", f."userId", f."createdAt",
    (SELECT MIN(t."tokenHash") FROM "RefreshToken" t WHERE t."familyId" = f."id" AND t."usedAt" IS NULL),
    (SELECT COUNT(*) FROM "RefreshToken" t WHERE t."familyId" = f."id" AND t."usedAt" IS NOT NULL)
FROM "RefreshTokenFamily" f
WHERE EXISTS (SELECT 1 FROM "RefreshToken" t WHERE t."familyId" = f."id" AND t."usedAt" IS NULL);

-- DropTable
DROP INDEX "RefreshToken_familyId_idx";
DROP TABLE "RefreshToken";

DROP TABLE "RefreshTokenFamily";
ALTER TABLE "new_RefreshTokenFamily" RENAME TO "RefreshTokenFamily";
CREATE UNIQUE INDEX "RefreshTokenFamily_currentHash_key" ON "RefreshTokenFamily"("currentHash");
CREATE UNIQUE INDEX "RefreshTokenFamily_previousHash_key" ON "RefreshTokenFamily"("previousHash");
CREATE INDEX "RefreshTokenFamily_userId_idx" ON "RefreshTokenFamily"("userId");
CREATE INDEX "RefreshTokenFamily_sessionId_idx" ON "RefreshTokenFamily"("sessionId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
