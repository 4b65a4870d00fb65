/** YAML output for every rendered file: the `yaml` library, never string templates. */
import { stringify } from "yaml";

/** Render a plain object as YAML, with a comment header saying where it comes from. */
export function toYaml(value: unknown, header?: string): string {
    const body = stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
    if (!header) return body;
    const comment = header
        .split("\n")
        .map((line) => (line ? `# ${line}` : "#"))
        .join("\n");
    return `${comment}\n${body}`;
}
