// A program run in its own process as if @pulumi/alicloud were not installed: Node answers any require of
// it as it answers a missing package. Prints what happened as one JSON line.
import Module from "node:module";

const resolve = (Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string })._resolveFilename;
(Module as unknown as { _resolveFilename: typeof resolve })._resolveFilename = (request, ...rest) => {
    if (request === "@pulumi/alicloud" || request.startsWith("@pulumi/alicloud/")) {
        throw Object.assign(new Error(`Cannot find module '${request}'`), { code: "MODULE_NOT_FOUND" });
    }
    return resolve(request, ...rest);
};

// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the hook above
const { main } = require("./withoutAlicloudMain") as typeof import("./withoutAlicloudMain");
main(process.argv[2] === "ack").then(
    (result) => console.log(JSON.stringify(result)),
    (error) => {
        console.log(JSON.stringify({ unexpected: String(error) }));
        process.exitCode = 1;
    },
);
