import { MeshInput } from "./inputs";
import { remoteSecretPlan } from "../istio/remoteSecretManifests";
import { clustersWithEastWestGateway } from "./plan";

const id = (name: string) => name.replace(/[^a-zA-Z0-9_]/g, "_");

/**
 * A Mermaid flowchart of the mesh: regions containing networks containing clusters, east-west gateways,
 * which primary serves which remote, and which istiod watches which cluster.
 */
export function meshDiagram(config: MeshInput): string {
    const lines = ["flowchart LR"];
    const gateways = new Set(clustersWithEastWestGateway(config));
    const regions = [...new Set(config.clusters.map((c) => c.region ?? "unknown region"))].sort();
    for (const region of regions) {
        lines.push(`  subgraph ${id(`region_${region}`)}["${region}"]`);
        const inRegion = config.clusters.filter((c) => (c.region ?? "unknown region") === region);
        for (const network of [...new Set(inRegion.map((c) => c.network))].sort()) {
            lines.push(`    subgraph ${id(`net_${region}_${network}`)}["network ${network}"]`);
            for (const c of inRegion.filter((c) => c.network === network)) {
                lines.push(`      ${id(c.name)}["${c.name}<br/>${c.role}${c.ack ? ", ACK" : ""}"]`);
                if (gateways.has(c.name)) {
                    lines.push(`      ${id(c.name)}_ew[["east-west gateway"]]`);
                    lines.push(`      ${id(c.name)} --- ${id(c.name)}_ew`);
                }
            }
            lines.push("    end");
        }
        lines.push("  end");
    }
    for (const c of config.clusters) {
        if (c.controlPlane) {
            lines.push(`  ${id(c.controlPlane)} ==>|serves| ${id(c.name)}`);
        }
    }
    for (const s of remoteSecretPlan(config.clusters)) {
        lines.push(`  ${id(s.watcher)} -.->|watches| ${id(s.watched)}`);
    }
    return lines.join("\n") + "\n";
}
