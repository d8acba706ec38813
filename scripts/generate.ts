/** `npm run db:generate` (also run after `npm ci`): generates the Prisma clients offline. */
import { generatePrismaClients } from "./lib/generate";

generatePrismaClients(process.cwd(), { force: process.argv.includes("--force") });
console.log("Prisma clients generated.");
