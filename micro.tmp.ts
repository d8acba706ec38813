import { createScratchDatabase, generateSecrets } from "@/scripts/lib/scratch";
import { runMicro } from "@/bench/lib/micro";
const database = await createScratchDatabase(process.cwd());
Object.assign(process.env, { ...(await generateSecrets()), AUTHLAB_ENV: "production", DATABASE_URL: database.url, SESSION_STORE: "memory" });
const m = await runMicro({ redisUrl: undefined, minMs: 300, rounds: 5 });
console.log(JSON.stringify(m, (k, v) => (typeof v === "number" ? Number(v.toFixed(1)) : v), 2));
database.dispose();
