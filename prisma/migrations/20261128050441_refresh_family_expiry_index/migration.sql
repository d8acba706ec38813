-- CreateIndex
CREATE INDEX "RefreshTokenFamily_expiresAt_idx" ON "RefreshTokenFamily"("expiresAt");
