export type GateName = "edge" | "proxy";
export const GATES: readonly GateName[];
export const PROXY_TREE: string;
export function selectedGate(env?: Record<string, string | undefined>): GateName;
export function projectDirOf(root: string, gate: GateName): string;
