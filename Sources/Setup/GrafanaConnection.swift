/// Step 1 of the guide: is Grafana there, which version, and do the credentials work.
public enum GrafanaConnection {
    public static func check(_ client: GrafanaClient) async -> (StepReport, GrafanaHealth?) {
        var report = StepReport()
        let health: GrafanaHealth
        do {
            health = try await client.health()
        } catch {
            report.add(.fail, error.description)
            return (report, nil)
        }
        let what = client.target.kind == .embedded ? "The embedded endpoint" : "Grafana"
        report.add(.ok, "\(what) answered at \(client.target.baseURL): version \(health.version), database \(health.database).")
        do {
            try await client.checkCredentials()
            report.add(.ok, "The credentials work: they may list service accounts.")
        } catch {
            report.add(.fail, error.description)
        }
        if !client.target.verifyTLS {
            report.add(.warn, "TLS verification is off: anyone between here and Grafana could read the credentials. Turn it on once the certificate is trusted.")
        }
        return (report, health)
    }

    /// After the toggle change: is `enableSCIM` live in `/api/frontend/settings`?
    public static func verifyToggle(_ client: GrafanaClient) async -> StepReport {
        var report = StepReport()
        do {
            let toggles = try await client.liveFeatureToggles()
            if toggles.contains(FeatureToggleStep.toggle) {
                report.add(.ok, "enableSCIM is live: /api/frontend/settings lists it.")
            } else if client.target.kind == .embedded {
                report.add(.fail, "enableSCIM is not live on the embedded endpoint; check the ini file shown above.")
            } else {
                report.add(.fail, "enableSCIM is not live yet: /api/frontend/settings does not list it. Restart Grafana, then check again.")
            }
        } catch {
            report.add(.fail, error.description)
        }
        return report
    }
}
