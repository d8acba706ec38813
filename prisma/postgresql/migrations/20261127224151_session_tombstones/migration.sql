-- CreateTable
CREATE TABLE "SessionTombstone" (
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SessionTombstone_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateIndex
CREATE INDEX "SessionTombstone_expiresAt_idx" ON "SessionTombstone"("expiresAt");
