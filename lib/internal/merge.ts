type Tree = Record<string, unknown>;

function isTree(value: unknown): value is Tree {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Merges Helm-style values trees: objects merge key by key, everything else (arrays included) is replaced
 * by the later tree, as `helm --values a --values b` does.
 */
export function deepMerge(...trees: (Tree | undefined)[]): Tree {
    const out: Tree = {};
    for (const tree of trees) {
        for (const [key, value] of Object.entries(tree ?? {})) {
            out[key] = isTree(value) && isTree(out[key]) ? deepMerge(out[key] as Tree, value) : value;
        }
    }
    return out;
}
