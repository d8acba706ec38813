/** `npm run build`: the production bundle, always rebuilt (npm start rebuilds only when stale). */
import { build } from "./lib/build";
import { generatePrismaClients } from "./lib/generate";

generatePrismaClients(process.cwd());
build(process.cwd());
