#!/bin/sh
# Stands in for Prisma's Rust schema engine, which cannot be downloaded offline. `prisma generate` only
# needs the path to exist; anything that would really need the engine fails loudly here instead of
# silently doing nothing (which is what pointing PRISMA_SCHEMA_ENGINE_BINARY at /bin/true does).
echo "authlab: Prisma's schema engine binary is not installed; use npm run db:migrate (offline) instead." >&2
exit 1
