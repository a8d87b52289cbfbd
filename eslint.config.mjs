import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

/**
 * The library's layers, bottom first, and what each may import besides itself. An import up the layers (or
 * sideways where not listed) fails the lint. ARCHITECTURE.md explains the order.
 */
const layers = {
    internal: [],
    model: ["internal"],
    trust: ["internal", "model"],
    istio: ["internal", "model", "trust"],
    alicloud: ["internal", "model"],
    mesh: ["internal", "model", "trust", "istio", "alicloud"],
    testing: ["internal", "model"],
    plan: ["internal", "model", "testing"],
    provider: ["internal", "model", "trust", "istio", "alicloud", "mesh"],
};
const layerRules = Object.entries(layers).map(([layer, below]) => {
    const above = Object.keys(layers).filter((l) => l !== layer && !below.includes(l));
    return {
        files: [`lib/${layer}/**/*.ts`],
        rules: {
            "no-restricted-imports": [
                "error",
                {
                    paths: ["..", "../index"].map((name) => ({ name, message: "lib/index.ts is the public surface; import the module itself." })),
                    patterns:
                        above.length === 0
                            ? []
                            : [
                                  {
                                      group: above.map((l) => `../${l}/*`),
                                      message: `lib/${layer} may import only from ${below.length > 0 ? below.map((l) => `lib/${l}`).join(", ") : "no other layer"} (see ARCHITECTURE.md).`,
                                  },
                              ],
                },
            ],
        },
    };
});

export default tseslint.config(
    { ignores: ["build/", "examples/pulumi-new/", "node_modules/", "plan-out/", "e2e-out/", "mutation-out/", ".stryker-tmp/", "eslint.config.mjs", "stryker.config.mjs", "test/mutation/*.mjs"] },
    ...tseslint.configs.recommended,
    {
        languageOptions: {
            // The Pulumi rules need type information to tell an Output from a string.
            parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
        },
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
        },
    },
    ...layerRules,
    {
        files: ["test/**/*.ts"],
        rules: {
            // The mock monitor handles the SDK's untyped protobuf requests, and tests dig into recorded JSON.
            "@typescript-eslint/no-explicit-any": "off",
        },
    },
);
