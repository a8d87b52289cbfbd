#!/usr/bin/env node
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { main } from "@pulumi/pulumi/provider";
import { MeshComponentProvider } from "./componentProvider";
import { packageName } from "./schema";

// `pulumi-resource-istio-multicluster`: the package's provider plugin, a `bin` of the npm package, so the
// Pulumi CLI finds it on PATH (or at a `plugins.providers` path in Pulumi.yaml) when a Python, Go or YAML
// program uses the components.

/** The library's version, from its package.json: two folders up in the sources, three in the build. */
function libraryVersion(): string {
    for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
        const file = path.join(dir, "package.json");
        if (existsSync(file)) {
            const manifest = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
            if (manifest.name === packageName && manifest.version) {
                return manifest.version;
            }
        }
    }
    throw new Error(`no package.json of ${packageName} above ${__dirname}`);
}

void main(new MeshComponentProvider(libraryVersion()), process.argv.slice(2));
