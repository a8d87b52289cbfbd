import { MeshConfig } from "../../lib";
import { LatencyKey, pacedSecondsOf, paceOf, secondsOf } from "./latency";

/**
 * The shortest any deployment of a topology can take in the latency model: the longest chain of steps
 * that must follow one another, with the latency table's figures and the cloud's serialization. Worked
 * out from the topology alone (not from what the program registers), so the benchmark cannot grade
 * itself. Every link is a dependency of the cloud or of Istio, given in `links`; the model counts each
 * step whole after the one before it, where in reality some overlap (image pulls while nodes join).
 */
export interface LowerBound {
    /** Longest chain through one cluster's own steps (and, for a remote, its primary's). */
    readonly clusterChain: number;
    /**
     * Each cluster's own bound: the earliest its east-west gateway's address can be known, through its own
     * chain (a remote's includes its primary's) or, for a remote, the transit routers its path to the
     * primary goes through. Nothing else may hold a cluster back.
     */
    readonly clusters: ReadonlyMap<string, number>;
    /** Longest chain through the network: serialized transit-router work, then what waits for it. */
    readonly networkChain: number;
    readonly seconds: number;
    /** Which cluster or transit router sets each chain. */
    readonly clusterChainEnd: string;
    readonly networkChainEnd: string;
}

/** Why each step of a chain must wait for the one before it (for BENCHMARKS.md). */
export const links: readonly { readonly step: string; readonly waitsFor: string; readonly because: string }[] = [
    { step: "vSwitch", waitsFor: "VPC", because: "a vSwitch is a subnet of the VPC" },
    { step: "ACK cluster", waitsFor: "vSwitches", because: "the control plane's endpoints and the pod vSwitches (Terway) live in them" },
    { step: "node pool", waitsFor: "ACK cluster", because: "workers join an existing cluster" },
    { step: "Namespace, base chart", waitsFor: "ACK cluster", because: "they are API objects (CRDs need no nodes)" },
    { step: "cacerts Secret", waitsFor: "Namespace and the cluster's intermediate CA", because: "istiod reads its CA from it at start" },
    { step: "istiod", waitsFor: "node pool, base, cacerts", because: "its pods need nodes, its config needs the CRDs, its CA needs cacerts" },
    { step: "east-west gateway", waitsFor: "istiod (the primary's, for a remote)", because: "gateway pods are injected; the release waits for the load balancer's address" },
    { step: "remote's istiod (remote profile)", waitsFor: "its base, its primary's east-west gateway address", because: "its injection webhook and discovery address point at that address" },
    { step: "remote secret", waitsFor: "the remote's reader token, the primary's namespace", because: "the kubeconfig carries the token" },
    { step: "remote's gateway", waitsFor: "remote secret, the network path to its primary", because: "the primary's istiod must reach the remote's API to authenticate the gateway's proxy and serve it, across the path" },
    { step: "transit router", waitsFor: "CEN instance", because: "a transit router belongs to a CEN" },
    { step: "route table, attachments, bindings", waitsFor: "transit router, and each other", because: "Alibaba Cloud runs one operation at a time on a transit router (a peer attachment on the routers at both ends)" },
    { step: "VPC route entries", waitsFor: "the VPC attachment, and each other", because: "the next hop is the attachment; a VPC route table takes one entry at a time" },
];

interface Placed {
    name: string;
    pace: number;
    role: "primary" | "remote";
    controlPlane?: string;
    region: string;
    vpc: string;
}

const s = secondsOf;

export function lowerBound(config: MeshConfig): LowerBound {
    if ((config.networkLink?.mode ?? "none") !== "cen") {
        throw new Error("the benchmark's bound covers CEN-linked topologies");
    }
    const clusters: Placed[] = config.clusters.map((c, i) => {
        if (!c.ack || !c.region || (c.ack.podNetworking ?? "terway") !== "terway") {
            throw new Error(`cluster ${c.name}: the benchmark's bound covers ACK clusters with Terway and a region`);
        }
        return { name: c.name, pace: paceOf(i), role: c.role, controlPlane: c.controlPlane, region: c.region, vpc: c.vpc ?? c.name };
    });
    const byName = new Map(clusters.map((c) => [c.name, c]));
    const sum = (...keys: LatencyKey[]) => keys.reduce((total, k) => total + s(k), 0);

    // Trust: the root key and certificate, then each intermediate (key, request, signature).
    const rootDone = sum("localCrypto", "localCrypto");
    const intermediateDone = Math.max(sum("localCrypto", "localCrypto"), rootDone) + s("localCrypto");

    // A cluster's own chain, each step at the cluster's pace.
    const chainOf = (pace: number) => {
        const p = (key: LatencyKey) => pacedSecondsOf(key, pace);
        const ackDone = p("vpc") + p("vswitch") + p("ack");
        const nodesDone = ackDone + p("nodePool");
        const namespaceDone = ackDone + p("namespace");
        const baseDone = namespaceDone + p("baseChart");
        const cacertsDone = Math.max(namespaceDone, intermediateDone) + p("kubernetesObject");
        const istiodDone = Math.max(nodesDone, baseDone, cacertsDone) + p("istiodChart");
        return { p, nodesDone, namespaceDone, baseDone, readerTokenDone: baseDone + p("kubernetesObject"), gatewayAfter: (start: number) => start + p("gatewayChart") + p("serviceRead"), istiodDone };
    };
    const primaryGatewayDone = (primary: Placed) => {
        const own = chainOf(primary.pace);
        return own.gatewayAfter(own.istiodDone);
    };
    const remoteGatewayDone = (remote: Placed) => {
        const own = chainOf(remote.pace);
        const primary = byName.get(remote.controlPlane!)!;
        const remoteSecretDone = Math.max(own.readerTokenDone, chainOf(primary.pace).namespaceDone) + s("kubernetesObject");
        const remoteIstiodDone = Math.max(own.baseDone, primaryGatewayDone(primary)) + own.p("remoteIstiodChart");
        return own.gatewayAfter(Math.max(remoteIstiodDone, own.nodesDone, remoteSecretDone));
    };
    const ownChains = clusters.map((c) => ({ name: c.name, seconds: c.role === "remote" ? remoteGatewayDone(c) : primaryGatewayDone(c) }));
    const slowest = ownChains.reduce((a, b) => (b.seconds > a.seconds ? b : a));
    const clusterChain = slowest.seconds;
    const clusterChainEnd = `${byName.get(slowest.name)!.role === "remote" ? "a remote's" : "a primary's"} east-west gateway (${slowest.name})`;

    // Network: every operation on a transit router runs after the router exists, one at a time.
    const regions = [...new Set(clusters.map((c) => c.region))];
    const vpcs = [...new Map(clusters.map((c) => [c.vpc, c.region])).entries()].map(([vpc, region]) => ({ vpc, region }));
    const routerReady = sum("cen", "transitRouter");
    const vpcOps = sum("vpcAttachment", "routeTableBinding", "routeTableBinding");
    const peerOps = sum("peerAttachment", "routeTableBinding", "routeTableBinding");
    const laneWork = (region: string) => s("routeTable") + vpcs.filter((v) => v.region === region).length * vpcOps + (regions.length - 1) * peerOps;

    // What remotes' paths to their primaries need on each router (the route table, for the bindings).
    const pathWork = new Map<string, Set<string>>();
    const remotesThrough = new Map<string, Placed[]>();
    const need = (region: string, op: string) => pathWork.set(region, (pathWork.get(region) ?? new Set(["routeTable"])).add(op));
    for (const remote of clusters.filter((c) => c.role === "remote")) {
        const primary = byName.get(remote.controlPlane!)!;
        for (const end of [remote, primary]) {
            need(end.region, `vpc:${end.vpc}`);
            remotesThrough.set(end.region, [...(remotesThrough.get(end.region) ?? []), remote]);
        }
        if (remote.region !== primary.region) {
            const pair = [remote.region, primary.region].sort().join("~");
            need(remote.region, `peer:${pair}`);
            need(primary.region, `peer:${pair}`);
        }
    }
    const opSeconds = (op: string) => (op === "routeTable" ? s("routeTable") : op.startsWith("vpc:") ? vpcOps : peerOps);

    const candidates: { seconds: number; end: string }[] = [];
    for (const region of regions) {
        candidates.push({ seconds: routerReady + laneWork(region), end: `the ${region} transit router's work` });
    }
    // All path work through a router, then the fastest gateway of the remotes whose paths it carries.
    const pathsDone = (region: string) => routerReady + [...(pathWork.get(region) ?? [])].reduce((total, op) => total + opSeconds(op), 0);
    for (const region of pathWork.keys()) {
        const gateway = Math.min(...remotesThrough.get(region)!.map((r) => chainOf(r.pace).gatewayAfter(0)));
        candidates.push({ seconds: pathsDone(region) + gateway, end: `a remote's east-west gateway after the paths through ${region}` });
    }
    // A VPC's traffic to its peers needs at least one route entry toward its attachment.
    candidates.push({ seconds: routerReady + s("vpcAttachment") + s("vpcRoute"), end: "a VPC's route entry" });
    const network = candidates.reduce((a, b) => (b.seconds > a.seconds ? b : a));
    // A remote may also wait for every path through its routers: the cloud serializes them.
    const ownBound = (c: Placed, own: number) =>
        c.role === "remote" ? Math.max(own, chainOf(c.pace).gatewayAfter(Math.max(pathsDone(c.region), pathsDone(byName.get(c.controlPlane!)!.region)))) : own;
    return {
        clusterChain,
        clusters: new Map(ownChains.map((c) => [c.name, ownBound(byName.get(c.name)!, c.seconds)])),
        networkChain: network.seconds,
        seconds: Math.max(clusterChain, network.seconds),
        clusterChainEnd,
        networkChainEnd: network.end,
    };
}

