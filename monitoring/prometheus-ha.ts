/**
 * Identity of one Prometheus among replicas, and Alertmanager's cluster
 * flags: the pure side of running both highly available.
 */

/** External label that tells replicas of one Prometheus apart (stores deduplicate on it). */
export const REPLICA_LABEL = "replica";

/**
 * Environment variable each Prometheus replica gets its own name in (a pod's
 * `metadata.name`); `external_labels` expand it (Prometheus 3, or 2.x with
 * `--enable-feature=expand-external-labels`).
 */
export const REPLICA_ENV = "POD_NAME";

/** The external labels of every series and alert. */
export function externalLabels(opts: { stack: string; cluster: string; prometheusReplicas: number }): Record<string, string> {
    return {
        ...(opts.cluster ? { cluster: opts.cluster } : {}),
        stack: opts.stack,
        ...(opts.prometheusReplicas > 1 ? { [REPLICA_LABEL]: `\${${REPLICA_ENV}}` } : {}),
    };
}

/**
 * Replicas send the same alerts; without the replica label they are identical,
 * and Alertmanager deduplicates them into one notification.
 */
export function alertRelabelConfigs(prometheusReplicas: number): object[] {
    return prometheusReplicas > 1 ? [{ action: "labeldrop", regex: REPLICA_LABEL }] : [];
}

/** Port Alertmanager replicas gossip on (its default). */
export const ALERTMANAGER_CLUSTER_PORT = 9094;

/**
 * The peers of an Alertmanager StatefulSet, by their stable names through a
 * headless Service: `<statefulSet>-<i>.<service>.<namespace>.svc:<port>`.
 */
export function alertmanagerPeers(opts: {
    statefulSet: string;
    headlessService: string;
    namespace: string;
    replicas: number;
    port?: number;
}): string[] {
    const port = opts.port ?? ALERTMANAGER_CLUSTER_PORT;
    return Array.from({ length: opts.replicas }, (_, i) => `${opts.statefulSet}-${i}.${opts.headlessService}.${opts.namespace}.svc:${port}`);
}

/**
 * Alertmanager's cluster flags. With no peers, clustering is off (a single
 * Alertmanager that listens for no gossip).
 */
export function alertmanagerClusterFlags(opts: { listenAddress: string; peers: readonly string[]; advertiseAddress?: string }): string[] {
    if (opts.peers.length === 0) return ["--cluster.listen-address="];
    return [
        `--cluster.listen-address=${opts.listenAddress}`,
        ...(opts.advertiseAddress ? [`--cluster.advertise-address=${opts.advertiseAddress}`] : []),
        ...opts.peers.map((p) => `--cluster.peer=${p}`),
    ];
}
