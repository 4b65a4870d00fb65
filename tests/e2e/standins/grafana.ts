/**
 * Grafana's own /metrics, which the stack scrapes (job "grafana"). No Grafana
 * server can run on these machines, so a stand-in answers with a few of the
 * series Grafana really exports; the dashboard itself is checked by running
 * its queries against Prometheus.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { EXPOSITION_CONTENT_TYPE, ExpositionWriter } from "./exposition";
import { HttpStandIn } from "./server";

export class GrafanaMetricsStandIn extends HttpStandIn {
    private readonly startedAt = Date.now() / 1000;
    private requests = 0;

    constructor(
        port: number,
        private readonly version: string,
    ) {
        super("grafana", port);
    }

    protected handle(req: IncomingMessage, res: ServerResponse): void {
        if ((req.url ?? "/").split("?")[0] !== "/metrics") {
            res.writeHead(404).end();
            return;
        }
        this.requests += 1;
        const w = new ExpositionWriter()
            .sample(
                "grafana_build_info",
                "gauge",
                "A metric with a constant '1' value labeled by version, revision, branch, and goversion from which Grafana was built",
                { edition: "oss", version: this.version },
                1,
            )
            .sample("grafana_stat_totals_dashboard", "gauge", "total amount of dashboards", {}, 1)
            .sample(
                "grafana_http_request_duration_seconds_count",
                "counter",
                "Count of HTTP requests",
                { handler: "/metrics", method: "GET", status_code: "200" },
                this.requests,
            )
            .sample("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.", {}, this.startedAt);
        res.writeHead(200, { "content-type": EXPOSITION_CONTENT_TYPE }).end(w.render());
    }
}
