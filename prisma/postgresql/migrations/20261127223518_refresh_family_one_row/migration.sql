-- One row per refresh family, not one per token: the live token's hash moves onto the family row and the
-- per-token table goes. Every family that still holds an unused token keeps working: that token becomes
-- the live one and its used ancestors are counted as the generation. A family without an unused token can
-- never refresh again and is not carried over.

-- AlterTable
ALTER TABLE "RefreshTokenFamily" ADD COLUMN     "currentHash" TEXT,
ADD COLUMN     "generation" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "previousHash" TEXT,
ADD COLUMN     "rateWindowCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "rateWindowStartedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "rotatedAt" TIMESTAMP(3),
ADD COLUMN     "successorSalt" TEXT;

UPDATE "RefreshTokenFamily" f SET
    "currentHash" = (SELECT MIN(t."tokenHash") FROM "RefreshToken" t WHERE t."familyId" = f."id" AND t."usedAt" IS NULL),
    "generation" = (SELECT COUNT(*) FROM "RefreshToken" t WHERE t."familyId" = f."id" AND t."usedAt" IS NOT NULL);
DELETE FROM "RefreshTokenFamily" WHERE "currentHash" IS NULL;
ALTER TABLE "RefreshTokenFamily" ALTER COLUMN "currentHash" SET NOT NULL;

-- DropForeignKey
ALTER TABLE "RefreshToken" DROP CONSTRAINT "RefreshToken_familyId_fkey";

-- DropTable
DROP TABLE "RefreshToken";

-- CreateIndex
CREATE UNIQUE INDEX "RefreshTokenFamily_currentHash_key" ON "RefreshTokenFamily"("currentHash");

-- CreateIndex
CREATE UNIQUE INDEX "RefreshTokenFamily_previousHash_key" ON "RefreshTokenFamily"("previousHash");
