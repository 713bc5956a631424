import ArgumentParser
import HostedEngineConfig

struct CheckoutConfig: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --checkout-config",
        abstract: "Extract the configuration into DIR to edit, review and push offline.",
        discussion: """
            DIR (new or empty) is created 0700 with each file 0600. DIR/.hosted-engine/ records the \
            volume, the base checksum and a pristine copy of the archive.
            """)

    @Argument(help: "The working directory to create.") var directory: String
    @Option(name: .customLong("type"), help: "vm: also check out the engine VM's OVF from the OVF_STORE.") var type: String?
    @OptionGroup var volume: VolumeOptions

    func run(in context: ToolContext) throws {
        let types = try SharedConfig().types(named: type)
        let locator = volume.locator(context)
        let source = try locator.openConfigurationVolume(forWriting: false)
        let withOvf = type != nil && types.contains { $0.storage == .ovfStore }
        let copy = try WorkingCopy.checkout(from: source, into: directory, ovfFrom: withOvf ? locator : nil)
        context.output.print(
            "Checked out \(copy.volumePath) into \(directory) (base \(copy.base.checksum))"
                + (copy.ovf.map { ", with the engine VM's OVF \($0.member)" } ?? "") + ".")
    }
}
