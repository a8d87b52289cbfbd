import * as assert from "node:assert/strict";
import { MeshConfig, meshDiagram } from "../../lib";
import { ackSettings } from "../harness/meshConfigs";

describe("meshDiagram", () => {
    it("draws regions holding networks holding clusters (names made Mermaid identifiers), gateways, who serves whom and who watches whom", () => {
        const config: MeshConfig = {
            meshId: "m",
            networkLink: { mode: "cen" },
            clusters: [
                { name: "hz-1", role: "primary", network: "net-a", region: "cn-hangzhou", ack: ackSettings(1) },
                { name: "sh.1", role: "primary", network: "net-b", region: "cn-shanghai", ack: ackSettings(2) },
                { name: "edge", role: "remote", controlPlane: "hz-1", network: "net-a", region: "cn-hangzhou", ack: ackSettings(3) },
                { name: "lab", role: "primary", network: "net-c", kubeconfig: "k", apiServer: "https://lab:6443" },
                { name: "hz-2", role: "primary", network: "net-d", region: "cn-hangzhou", ack: ackSettings(4) },
            ],
        };
        assert.equal(
            meshDiagram(config),
            [
                "flowchart LR",
                '  subgraph region_cn_hangzhou["cn-hangzhou"]',
                '    subgraph net_cn_hangzhou_net_a["network net-a"]',
                '      hz_1["hz-1<br/>primary, ACK"]',
                '      hz_1_ew[["east-west gateway"]]',
                "      hz_1 --- hz_1_ew",
                '      edge["edge<br/>remote, ACK"]',
                '      edge_ew[["east-west gateway"]]',
                "      edge --- edge_ew",
                "    end",
                '    subgraph net_cn_hangzhou_net_d["network net-d"]',
                '      hz_2["hz-2<br/>primary, ACK"]',
                '      hz_2_ew[["east-west gateway"]]',
                "      hz_2 --- hz_2_ew",
                "    end",
                "  end",
                '  subgraph region_cn_shanghai["cn-shanghai"]',
                '    subgraph net_cn_shanghai_net_b["network net-b"]',
                '      sh_1["sh.1<br/>primary, ACK"]',
                '      sh_1_ew[["east-west gateway"]]',
                "      sh_1 --- sh_1_ew",
                "    end",
                "  end",
                '  subgraph region_unknown_region["unknown region"]',
                '    subgraph net_unknown_region_net_c["network net-c"]',
                '      lab["lab<br/>primary"]',
                '      lab_ew[["east-west gateway"]]',
                "      lab --- lab_ew",
                "    end",
                "  end",
                "  hz_1 ==>|serves| edge",
                "  hz_1 -.->|watches| sh_1",
                "  hz_1 -.->|watches| edge",
                "  hz_1 -.->|watches| lab",
                "  hz_1 -.->|watches| hz_2",
                "  sh_1 -.->|watches| hz_1",
                "  sh_1 -.->|watches| edge",
                "  sh_1 -.->|watches| lab",
                "  sh_1 -.->|watches| hz_2",
                "  lab -.->|watches| hz_1",
                "  lab -.->|watches| sh_1",
                "  lab -.->|watches| edge",
                "  lab -.->|watches| hz_2",
                "  hz_2 -.->|watches| hz_1",
                "  hz_2 -.->|watches| sh_1",
                "  hz_2 -.->|watches| edge",
                "  hz_2 -.->|watches| lab",
                "",
            ].join("\n"),
        );
    });

    it("draws regions and networks in name order, whatever order the clusters come in", () => {
        const config: MeshConfig = {
            meshId: "m",
            clusters: [
                { name: "b", role: "primary", network: "net-b", region: "cn-shanghai", kubeconfig: "k", apiServer: "https://b:6443" },
                { name: "c", role: "primary", network: "net-c", region: "cn-hangzhou", kubeconfig: "k", apiServer: "https://c:6443" },
                { name: "a", role: "primary", network: "net-a", region: "cn-hangzhou", kubeconfig: "k", apiServer: "https://a:6443" },
            ],
        };
        assert.deepEqual(
            meshDiagram(config)
                .split("\n")
                .filter((line) => line.includes("subgraph")),
            [
                '  subgraph region_cn_hangzhou["cn-hangzhou"]',
                '    subgraph net_cn_hangzhou_net_a["network net-a"]',
                '    subgraph net_cn_hangzhou_net_c["network net-c"]',
                '  subgraph region_cn_shanghai["cn-shanghai"]',
                '    subgraph net_cn_shanghai_net_b["network net-b"]',
            ],
        );
    });
});
