#!/usr/bin/env node
import { main } from "@pulumi/pulumi/provider";
import { libraryVersion, MeshComponentProvider } from "./componentProvider";

// `pulumi-resource-istio-multicluster`: the package's provider plugin, a `bin` of the npm package, so the
// Pulumi CLI finds it on PATH (or at a `plugins.providers` path in Pulumi.yaml) when a Python, Go or YAML
// program uses the components.

void main(new MeshComponentProvider(libraryVersion(__dirname)), process.argv.slice(2));
