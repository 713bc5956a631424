import HostedEngineConfig
import Testing

/// The network monitor's rules across keys, as upstream's agent and broker apply them
/// (agent/hosted_engine.py `_get_monitors`, broker/submonitors/network.py `Submonitor.setup`).
@Suite struct NetworkTestRuleTests {
    func problems(_ text: String) throws -> [String] {
        try AgentConfReading(bytes: Array(text.utf8)).networkProblems.map(\.message)
    }

    @Test func eachStateUpstreamRefusesIsNamed() throws {
        #expect(try problems("gateway=192.0.2.1\n").isEmpty)
        #expect(try problems("network_test=\ngateway=192.0.2.1\n").isEmpty)
        #expect(try problems("network_test=dns\n").isEmpty)
        #expect(try problems("network_test=none\n").isEmpty)
        #expect(try problems("network_test=tcp\ntcp_t_address=192.0.2.10\ntcp_t_port=22\n").isEmpty)
        #expect(
            try problems("host_id=1\n") == [
                "network_test is not set, so the broker pings the gateway, but gateway is not set: the HA broker's network monitor does not start (broker/submonitors/network.py raises 'ping requires addr address'); set gateway"
            ])
        #expect(
            try problems("network_test=ping\ngateway=\n") == [
                "network_test is ping, but gateway is empty: every ping fails and the host's score drops; set gateway"
            ])
        #expect(
            try problems("network_test=tcp\ntcp_t_port=22\n").first?.hasPrefix("network_test is tcp, but tcp_t_address is not set: ")
                == true)
        #expect(
            try problems("network_test=tcp\ntcp_t_address=h\ntcp_t_port=\n") == [
                "network_test is tcp, but tcp_t_port is empty: nc is run without it and every check fails; set tcp_t_port"
            ])
        #expect(try problems("network_test=arp\n").first?.contains("raises 'invalid network test'") == true)
        // The last line wins, as for the agent.
        #expect(try problems("network_test=tcp\nnetwork_test=dns\n").isEmpty)
    }
}
