import { execFileSync } from "node:child_process";
import { cpSync, createReadStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as path from "node:path";
import { stringify } from "yaml";

/**
 * A local Helm chart repository with Istio's `base`, `istiod` and `gateway` charts, packaged from their
 * sources as Istio's release does (chart version and appVersion set, images pointed at the release's hub
 * and tag), served on 127.0.0.1. The mesh reaches it through its own `istio.chartRepository` setting.
 */

export const istioVersion = "1.30.3";
const charts = ["base", "istiod", "gateway"];

/** Packages the charts found under `sources` into `dir`, with an index.yaml. */
export function packageCharts(sources: string, dir: string): void {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(path.join(dir, "build"), { recursive: true });
    const entries: Record<string, unknown[]> = {};
    for (const chart of charts) {
        const from = path.join(sources, chart);
        if (!existsSync(path.join(from, "Chart.yaml"))) {
            throw new Error(`no chart sources at ${from}: set ISTIO_CHART_SOURCES to Istio ${istioVersion}'s manifests/charts folders`);
        }
        const build = path.join(dir, "build", chart);
        cpSync(from, build, { recursive: true });
        const chartYaml = path.join(build, "Chart.yaml");
        writeFileSync(chartYaml, readFileSync(chartYaml, "utf8").replace(/^version: .*$/m, `version: ${istioVersion}`).replace(/^appVersion: .*$/m, `appVersion: ${istioVersion}`));
        const valuesYaml = path.join(build, "values.yaml");
        writeFileSync(
            valuesYaml,
            readFileSync(valuesYaml, "utf8")
                .replace(/^(\s*)hub: registry\.istio\.io\/testing$/m, "$1hub: docker.io/istio")
                .replace(/^(\s*)tag: latest$/m, `$1tag: ${istioVersion}`),
        );
        const archive = `${chart}-${istioVersion}.tgz`;
        execFileSync("tar", ["-czf", path.join(dir, archive), "-C", path.join(dir, "build"), chart]);
        entries[chart] = [{ apiVersion: "v2", name: chart, version: istioVersion, appVersion: istioVersion, urls: [archive] }];
    }
    rmSync(path.join(dir, "build"), { recursive: true, force: true });
    writeFileSync(path.join(dir, "index.yaml"), stringify({ apiVersion: "v1", entries, generated: new Date(0).toISOString() }));
}

/** Serves `dir` on 127.0.0.1; resolves to the repository URL and a function that stops the server. */
export async function serveCharts(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
    const server = http.createServer((req, res) => {
        const file = path.join(dir, path.basename(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)));
        if (!existsSync(file) || !/\.(tgz|yaml)$/.test(file)) {
            res.writeHead(404).end();
            return;
        }
        res.writeHead(200, { "Content-Type": file.endsWith(".yaml") ? "text/yaml" : "application/gzip" });
        createReadStream(file).pipe(res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
