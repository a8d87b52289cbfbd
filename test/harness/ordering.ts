import { MeshConfig } from "../../lib";
import { Registration } from "./mocks";

/**
 * The dependency rule of a mesh, derived from its config, checked over what a program registered.
 * A resource belongs to a cluster (Kubernetes objects by their provider, `mesh-<cluster>-k8s`; the rest by
 * their name, `mesh-<cluster>-…`), to the network (`mesh-network-…`) or to the trust root (`mesh-ca-…`).
 * It may wait directly only on its own cluster, the network, the trust root and, for a remote, its control
 * plane (a network resource only on the clusters its name is about); a remote secret also on the reader token of the cluster it lets its primary watch, and the
 * verification workload on every remote secret. Istio objects wait for their cluster's `base` (CRDs) and,
 * where istiod validates them, its istiod; injection labels for istiod; remote secrets for the watcher's
 * namespace and the watched cluster's reader token and istiod (whose chart brings the reader's ClusterRole).
 */
export function orderingProblems(config: Pick<MeshConfig, "clusters">, registrations: Registration[], prefix = "mesh"): string[] {
    // Resource names start with the MultiClusterMesh's name and a dash; components used alone, with none.
    const p = prefix === "" ? "" : `${prefix}-`;
    const clusters = config.clusters.map((c) => c.name).sort((a, b) => b.length - a.length);
    const controlPlane = new Map(config.clusters.filter((c) => c.role === "remote").map((c) => [c.name, c.controlPlane!]));
    const roles = new Map(config.clusters.map((c) => [c.name, c.role]));
    const byUrn = new Map(registrations.filter((r) => r.urn).map((r) => [r.urn!, r]));
    const nameOfUrn = (urn: string) => urn.split("::").pop()!;

    const clusterByName = (name: string) => clusters.find((c) => name.startsWith(`${p}${c}-`) || name === `${p}${c}`);
    const ownerOf = (r: Registration): string => {
        const providerName = r.provider ? nameOfUrn(r.provider.split("::").slice(0, -1).join("::")) : undefined;
        const viaProvider = providerName && /-k8s$/.test(providerName) ? clusterByName(providerName.replace(/-k8s$/, "")) : undefined;
        if (viaProvider) {
            return viaProvider;
        }
        if (r.name.startsWith(`${p}network-`) || r.name === `${p}network`) {
            return "network";
        }
        if (r.name.startsWith(`${p}ca-`) || r.name === `${p}ca`) {
            return "trust";
        }
        return clusterByName(r.name) ?? "mesh";
    };
    const isRemoteSecret = (r: Registration) => r.type === "kubernetes:core/v1:Secret" && (/-watches-.+-secret$/.test(r.name) || /-remote-secret$/.test(r.name));
    const watchedBy = (r: Registration): string | undefined => {
        const watches = new RegExp(`^${p}.+-watches-(.+)-secret$`).exec(r.name);
        return watches ? clusters.find((c) => c === watches[1]) : clusterByName(r.name);
    };

    // The clusters a network resource is about, by its name (`mesh-network-attach-<cluster>`, …).
    const mentioned = (name: string) => clusters.filter((c) => name.includes(`-${c}-`) || name.endsWith(`-${c}`));

    const problems: string[] = [];
    const closure = new Map<string, Set<string>>();
    const waitsFor = (urn: string): Set<string> => {
        if (!closure.has(urn)) {
            const all = new Set<string>();
            closure.set(urn, all);
            for (const d of byUrn.get(urn)?.dependencies ?? []) {
                all.add(d);
                for (const t of waitsFor(d)) {
                    all.add(t);
                }
            }
        }
        return closure.get(urn)!;
    };
    const named = (name: string) => registrations.find((r) => r.name === name && !r.read);

    for (const r of registrations.filter((x) => x.urn && x.custom)) {
        const owner = ownerOf(r);
        // No wait on an unrelated cluster.
        for (const d of r.dependencies) {
            const dep = byUrn.get(d);
            if (!dep) {
                continue;
            }
            const other = ownerOf(dep);
            const allowed =
                other === owner ||
                (owner === "network" && (mentioned(r.name).length === 0 || mentioned(r.name).includes(other))) ||
                other === "network" ||
                other === "trust" ||
                other === "mesh" ||
                controlPlane.get(owner) === other ||
                (isRemoteSecret(r) && watchedBy(r) === other) ||
                (/-verify-/.test(r.name) && (isRemoteSecret(dep) || dep.type.startsWith("istio-multicluster:")));
            if (!allowed) {
                problems.push(`${r.name} (${owner}) waits on ${dep.name} (${other})`);
            }
        }
        // What it must wait for.
        const must: string[] = [];
        if (owner !== "network" && owner !== "trust" && owner !== "mesh") {
            const istiod = `${p}${owner}-istiod`;
            if (/\.istio\.io\//.test(r.type)) {
                must.push(`${p}${owner}-base`);
                if (roles.get(owner) === "primary") {
                    must.push(istiod);
                }
            }
            if (r.type === "kubernetes:core/v1:NamespacePatch" && /-injection-/.test(r.name)) {
                must.push(istiod);
            }
            if (isRemoteSecret(r)) {
                // The watched cluster's istiod chart brings the reader ClusterRole the token is good for.
                must.push(`${p}${owner}-namespace`, `${p}${watchedBy(r)}-reader-token`, `${p}${watchedBy(r)}-istiod`);
            }
        }
        for (const name of must) {
            const needed = named(name);
            if (!needed) {
                problems.push(`${r.name} must wait for ${name}, which was not registered`);
            } else if (!waitsFor(r.urn!).has(needed.urn!)) {
                problems.push(`${r.name} does not wait for ${name}`);
            }
        }
    }
    return problems;
}
