import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

export default tseslint.config(
    { ignores: ["build/", "node_modules/", "plan-out/", "eslint.config.mjs"] },
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
    {
        files: ["test/**/*.ts"],
        rules: {
            // The mock monitor handles the SDK's untyped protobuf requests, and tests dig into recorded JSON.
            "@typescript-eslint/no-explicit-any": "off",
        },
    },
);
