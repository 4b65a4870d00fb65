/** Operator mode as the tests configure it: the cluster's Prometheus, an external Grafana and its service-account token (or a stored secret). */
export function operatorMode<Auth = string>(grafanaAuth: Auth = "glsa_test_token" as Auth) {
    return {
        monitoringMode: "operator",
        grafanaUrl: "https://grafana.example.com",
        operatorPrometheusUrl: "http://prometheus-operated.monitoring.svc:9090",
        grafanaAuth,
    };
}
