/**
 * Before the integration suites: the Prisma client exists and the production build is current
 * (built once here, shared by every server the tests start).
 */
import { build, buildIsCurrent } from "@/scripts/lib/build";
import { generatePrismaClients } from "@/scripts/lib/generate";
import { ROOT } from "./app-server";

export default function setup() {
  generatePrismaClients(ROOT);
  if (!buildIsCurrent(ROOT)) build(ROOT);
}
