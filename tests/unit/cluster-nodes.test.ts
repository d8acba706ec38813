import { describe, expect, it } from "vitest";
import { parseClusterNodes } from "@/lib/server/redis/cluster-nodes";

// CLUSTER NODES as Redis 7 answers it after a failover: the old primary failed, its replica promoted,
// one slot being migrated (the bracketed entry is not a slot the node serves).
const TEXT = [
  "a1 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-5460 [5461->-b2]",
  "b2 127.0.0.1:7002@17002 master - 0 1700000000000 2 connected 5461-10922",
  "c3 127.0.0.1:7003@17003 master,fail - 1700000000000 1700000000000 3 disconnected",
  "f6 127.0.0.1:7006@17006 master - 0 1700000000000 7 connected 10923-16383",
  "d4 127.0.0.1:7004@17004,cache-1.example slave a1 0 1700000000000 1 connected",
  "e5 [::1]:7005@17005 slave b2 0 1700000000000 2 connected",
  "",
].join("\n");

describe("CLUSTER NODES", () => {
  it("reads each node's role, primary, slots and failure", () => {
    const nodes = parseClusterNodes(TEXT);
    expect(nodes).toHaveLength(6);
    expect(nodes[0]).toEqual({
      id: "a1",
      host: "127.0.0.1",
      port: 7001,
      role: "master",
      primaryId: null,
      failed: false,
      slots: [[0, 5460]],
    });
    expect(nodes.find((n) => n.id === "c3")).toMatchObject({ role: "master", failed: true, slots: [] });
    expect(nodes.find((n) => n.id === "f6")?.slots).toEqual([[10923, 16383]]);
    expect(nodes.find((n) => n.id === "d4")).toMatchObject({ role: "slave", primaryId: "a1", port: 7004 });
    expect(nodes.find((n) => n.id === "e5")).toMatchObject({ host: "::1", port: 7005 });
  });
});
