/**
 * Reads and updates .env.local, the git-ignored file where `npm start` keeps generated development
 * secrets. Values are single-quoted so JSON survives dotenv parsing; the file is created 0600.
 */
import { existsSync, readFileSync, writeFileSync, chmodSync } from "node:fs";

export function setEnvFileValues(file: string, values: Record<string, string>): void {
  const lines = existsSync(file) ? readFileSync(file, "utf8").split("\n") : [];
  for (const [name, value] of Object.entries(values)) {
    const line = `${name}='${value}'`;
    const index = lines.findIndex((l) => l.startsWith(`${name}=`));
    if (index >= 0) lines[index] = line;
    else lines.splice(lines.length && lines[lines.length - 1] === "" ? lines.length - 1 : lines.length, 0, line);
  }
  writeFileSync(file, `${lines.filter((l, i) => l !== "" || i < lines.length - 1).join("\n")}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function envFileHas(file: string, name: string): boolean {
  return (
    existsSync(file) &&
    readFileSync(file, "utf8")
      .split("\n")
      .some((l) => l.startsWith(`${name}=`))
  );
}
