/**
 * Test support: a series' labels as Prometheus stores them after the scrape
 * job's metric relabelings (monitoring/scrape-relabel.ts), for rule tests
 * whose input must look like stored series. monitoring/scrape-relabel.test.ts
 * checks this against a real Prometheus scraping every contract's series.
 */
import { metricRelabels } from "../../../monitoring/scrape-relabel";

/**
 * The labels (`__name__` apart) after the job's relabelings, or undefined when
 * the series is dropped. As Prometheus: the regex is anchored, a missing
 * label reads as "", and a replacement that comes out empty removes the label.
 */
export function afterMetricRelabels(job: string, name: string, labels: Record<string, string>): Record<string, string> | undefined {
    let out: Record<string, string> = { ...labels };
    for (const r of metricRelabels(job)) {
        const value = r.sourceLabels.map((l) => (l === "__name__" ? name : (out[l] ?? ""))).join(r.separator);
        const m = new RegExp(`^(?:${r.regex})$`).exec(value);
        if (!m) continue;
        if (r.action === "drop") return undefined;
        const replaced = r.replacement.replace(/\$(\d+)|\$\{(\d+)\}/g, (_, a, b) => m[Number(a ?? b)] ?? "");
        out = { ...out, [r.targetLabel]: replaced };
        if (replaced === "") delete out[r.targetLabel];
    }
    return out;
}
