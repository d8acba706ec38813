-- CreateTable
CREATE TABLE "SessionTombstone" (
    "tokenHash" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "SessionTombstone_expiresAt_idx" ON "SessionTombstone"("expiresAt");
