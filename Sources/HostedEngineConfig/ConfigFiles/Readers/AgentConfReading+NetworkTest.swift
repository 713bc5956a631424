extension AgentConfReading {
    /// One thing that stops the HA broker's network monitor from working with this file.
    public struct NetworkProblem: Equatable, Sendable {
        /// The key whose line the problem is reported at.
        public let key: String
        public let message: String
    }

    /// The network monitor's rules across keys, as upstream applies them: the agent hands it
    /// network_test, tcp_t_address and tcp_t_port from hosted-engine.conf, None for a key the
    /// file does not set, and gateway as `addr` (agent/hosted_engine.py `_get_monitors`); its
    /// setup (broker/submonitors/network.py `Submonitor.setup`) takes an unset or empty
    /// network_test as ping, raises for a test it does not know, for ping without addr, and for
    /// tcp without tcp_t_address or tcp_t_port; nc and ping then run with whatever is left, so
    /// an empty one fails every check.
    public var networkProblems: [NetworkProblem] {
        let given = value("network_test") ?? ""
        let test = given.isEmpty ? "ping" : given
        let raises = "the HA broker's network monitor does not start (broker/submonitors/network.py raises"
        switch test {
        case "ping":
            let named = given.isEmpty ? "network_test is not set, so the broker pings the gateway" : "network_test is ping"
            guard let gateway = value("gateway") else {
                return [
                    .init(
                        key: "network_test",
                        message: "\(named), but gateway is not set: \(raises) 'ping requires addr address'); set gateway")
                ]
            }
            if gateway.isEmpty {
                return [
                    .init(
                        key: "gateway", message: "\(named), but gateway is empty: every ping fails and the host's score drops; set gateway")
                ]
            }
            return []
        case "tcp":
            let missing = ["tcp_t_address", "tcp_t_port"].filter { value($0) == nil }
            if !missing.isEmpty {
                return [
                    .init(
                        key: "network_test",
                        message:
                            "network_test is tcp, but \(missing.joined(separator: " and ")) \(missing.count == 1 ? "is" : "are") not set: \(raises) 'tcp test requires tcp_t_address and tcp_t_port'); set \(missing.count == 1 ? "it" : "them") in the same write (--set-shared-config --set network_test=tcp --set tcp_t_address=HOST --set tcp_t_port=PORT)"
                    )
                ]
            }
            return ["tcp_t_address", "tcp_t_port"].filter { value($0)?.isEmpty ?? false }.map { key in
                .init(key: key, message: "network_test is tcp, but \(key) is empty: nc is run without it and every check fails; set \(key)")
            }
        case "dns", "none":
            return []
        default:
            return [
                .init(
                    key: "network_test",
                    message:
                        "network_test is \(DisplayText.quoted(given, secret: false)): \(raises) 'invalid network test'); set dns, ping, tcp or none"
                )
            ]
        }
    }

    /// The file whose keys configure the network monitor (ha.conf, read the same way, does not).
    static func configuresNetworkTest(_ file: String) -> Bool {
        file == "hosted-engine.conf" || file.hasSuffix("/hosted-engine.conf")
    }

    /// The line (1-based) that sets `key`, 0 when none does.
    func line(of key: String) -> Int {
        entries.last { PythonText.same($0.key, key) }.map { ConfigFile.lineNumber(ofIndex: $0.lineIndex) } ?? 0
    }
}
