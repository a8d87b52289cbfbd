import { isDeepStrictEqual } from "node:util";
import { standInResourceNames } from "../testing/standInCloud";
import { replacingInputs } from "./replacements";

/** A resource of a plan, as `resources.json` records it. */
export interface PlannedResource {
    readonly type: string;
    readonly name: string;
    /** Protected (`protect`) in the program whose plan this is; a plan's resources are what its stack's state will hold. */
    readonly protect: boolean;
    /** Its inputs as the plan shows them (secrets as `[secret]`). */
    readonly inputs: Record<string, unknown>;
    /** Per input, the resources whose computed values it holds (secret or not): it changes when they are replaced. */
    readonly computedFrom: Record<string, string[]>;
    /** The name of the provider instance it goes through, if not the default one. */
    readonly provider?: string;
}

/** What happens to one resource between two plans. */
export interface PlannedChange {
    readonly kind: "create" | "update" | "replace" | "delete";
    readonly type: string;
    readonly name: string;
    /** The inputs that differ; for a replacement, those that force it come first. */
    readonly inputs: readonly string[];
    /** For a replacement: the inputs that force it (changed here, or computed from a replaced resource). */
    readonly forcedBy: readonly string[];
    /**
     * For a creation or update, protected in the program; for a deletion, protected in the baseline; for a
     * replacement, in both. Pulumi refuses a protected deletion or replacement (it allows lifting `protect`
     * and replacing in one update).
     */
    readonly protect: boolean;
}

const keyOf = (r: PlannedResource) => `${r.type}::${r.name}`;

/**
 * The resources whose stand-in values a value holds: `<stand-in: … <resource name>>`, and API servers at
 * `<resource name>[.intranet].stand-in.invalid`.
 */
export function computedFromOf(value: unknown): string[] {
    const text = JSON.stringify(value ?? null);
    const names = [...standInResourceNames(text), ...[...text.matchAll(/([a-z0-9-]+)(?:\.intranet)?\.stand-in\.invalid/g)].map((m) => m[1])];
    return [...new Set(names)].sort();
}

/**
 * The changes from one plan to the next: what is created, updated, replaced or deleted, and why a
 * resource is replaced. A replacement carries over to whatever takes a value the replaced resource
 * computes (its ID, say), which is new then too.
 */
export function planChanges(before: readonly PlannedResource[], after: readonly PlannedResource[]): PlannedChange[] {
    const previous = new Map(before.map((r) => [keyOf(r), r]));
    const current = new Map(after.map((r) => [keyOf(r), r]));
    const differing = new Map<string, string[]>();
    for (const [key, r] of current) {
        const old = previous.get(key);
        if (old) {
            const keys = new Set([...Object.keys(old.inputs), ...Object.keys(r.inputs)]);
            differing.set(key, [...keys].filter((k) => !isDeepStrictEqual(old.inputs[k], r.inputs[k])));
        }
    }
    const forced = new Map<string, string[]>();
    // Replacements spread through computed values until none is added.
    for (let grew = true; grew; ) {
        grew = false;
        const replacedNames = new Set([...forced.keys()].map((key) => current.get(key)!.name));
        for (const [key, r] of current) {
            if (!previous.has(key)) {
                continue;
            }
            // Whatever holds a value a replaced resource computes changes too, replaced or not.
            const computedAnew = Object.keys(r.computedFrom).filter((k) => r.computedFrom[k].some((name) => replacedNames.has(name)));
            const changed = [...new Set([...differing.get(key)!, ...computedAnew])].sort();
            differing.set(key, changed);
            const forcing = [...(r.provider !== undefined && replacedNames.has(r.provider) ? ["its provider"] : []), ...replacingInputs(r.type, changed, previous.get(key)!.inputs, r.inputs)];
            if (forcing.length > (forced.get(key)?.length ?? 0)) {
                forced.set(key, forcing);
                grew = true;
            }
        }
    }
    const changes: PlannedChange[] = [];
    for (const [key, r] of current) {
        const old = previous.get(key);
        const base = { type: r.type, name: r.name, protect: r.protect };
        if (!old) {
            changes.push({ ...base, kind: "create", inputs: [], forcedBy: [] });
        } else if (forced.has(key)) {
            const forcedBy = forced.get(key)!;
            changes.push({ ...base, protect: r.protect && old.protect, kind: "replace", inputs: [...forcedBy, ...differing.get(key)!.filter((k) => !forcedBy.includes(k))], forcedBy });
        } else if (differing.get(key)!.length > 0) {
            changes.push({ ...base, kind: "update", inputs: differing.get(key)!, forcedBy: [] });
        }
    }
    for (const [key, old] of previous) {
        if (!current.has(key)) {
            changes.push({ type: old.type, name: old.name, protect: old.protect, kind: "delete", inputs: [], forcedBy: [] });
        }
    }
    const order = { replace: 0, delete: 1, update: 2, create: 3 };
    return changes.sort((a, b) => order[a.kind] - order[b.kind] || (a.type + a.name).localeCompare(b.type + b.name));
}

/** The changes as Markdown for a pull request: counts, then each change, replacements and deletions first. */
export function changesMarkdown(changes: readonly PlannedChange[]): string {
    const count = (kind: PlannedChange["kind"]) => changes.filter((c) => c.kind === kind).length;
    const lines = [
        "# Changes against the baseline plan",
        "",
        changes.length === 0
            ? "No changes."
            : `${count("create")} to create, ${count("update")} to update, **${count("replace")} to replace**, **${count("delete")} to delete**.`,
        "",
    ];
    if (changes.length > 0) {
        lines.push("| change | resource | inputs |", "|---|---|---|");
        for (const c of changes) {
            const kind = c.kind === "replace" || c.kind === "delete" ? `**${c.kind}**` : c.kind;
            const inputs =
                c.kind === "replace"
                    ? `replaced because of ${c.forcedBy.map((k) => (k === "its provider" ? k : `\`${k}\``)).join(", ")}${c.inputs.length > c.forcedBy.length ? `; also ${c.inputs.slice(c.forcedBy.length).map((k) => `\`${k}\``).join(", ")}` : ""}`
                    : c.inputs.map((k) => `\`${k}\``).join(", ");
            const protectedNote = c.protect && (c.kind === "replace" || c.kind === "delete") ? " (protected: Pulumi refuses this until `protect` is lifted)" : c.protect ? " (protected)" : "";
            lines.push(`| ${kind} | \`${c.type}\` ${c.name}${protectedNote} | ${inputs} |`);
        }
        lines.push("");
    }
    return lines.join("\n");
}
