/**
 * A Redis Cluster's topology as CLUSTER NODES reports it: which node is a primary, which slots it
 * serves, which replica follows which primary, which nodes are failed. Pure parsing, shared by the
 * lab, the scripts that start a cluster and the benchmark.
 */

export interface ClusterNode {
  host: string;
  port: number;
  id: string;
  role: "master" | "slave";
  /** For a replica, the id of its primary. */
  primaryId: string | null;
  /** Slot ranges owned (primaries only), e.g. [[0, 5460]]. */
  slots: [number, number][];
  failed: boolean;
}

/**
 * CLUSTER NODES, one line per node: `<id> <ip:port@cport[,hostname]> <flags> <primary> <ping> <pong>
 * <epoch> <link> <slot> …` (Redis docs, CLUSTER NODES).
 */
export function parseClusterNodes(text: string): ClusterNode[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [id, address, flags, primary, , , , , ...slots] = line.split(" ");
      const hostPort = address!.split("@")[0]!;
      const colon = hostPort.lastIndexOf(":");
      const flagList = flags!.split(",");
      return {
        id: id!,
        host: hostPort.slice(0, colon).replace(/^\[(.*)\]$/, "$1"),
        port: Number(hostPort.slice(colon + 1)),
        role: flagList.includes("master") ? "master" : "slave",
        primaryId: primary === "-" ? null : primary!,
        failed: flagList.includes("fail") || flagList.includes("fail?") || flagList.includes("noaddr"),
        slots: slots
          .filter((s) => !s.startsWith("["))
          .map((s) => {
            const [from, to] = s.split("-").map(Number);
            return [from!, to ?? from!] as [number, number];
          }),
      };
    });
}
