/// `--edit-shared-config --type he_local` (or `ha`): this host's file, copied to a private
/// folder, edited and checked as a checkout's hosted-engine.conf is, then written under the
/// file's lock if it is still what was copied.
extension EditSession {
    func runOnHostFile(_ type: ConfigType, locator: VolumeLocator) throws -> Outcome {
        let local = locator.localConfigFile(type.hostFile!)
        let original = try local.read()
        let fileSchema = Schema.hostFile(of: type)
        let name = type.fileName
        let directory = try LocalFile.makeTemporaryDirectory(in: temporaryRoot, prefix: "hosted-engine-edit-")
        let file = directory + "/" + name
        do {
            try LocalFile.writeAtomically(file, original.bytes, mode: 0o600)
        } catch {
            LocalFile.removeTree(directory)
            throw HostedEngineError.workingDirectory(directory, .notWritable(errno: error.rawValue))
        }
        return try editLoop(file: file, directory: directory, original: original.bytes) { edited, _ in
            ConfigValidator(schema: fileSchema).problems(
                base: [name: original.bytes], proposed: [name: edited], memberOrder: [name], whitelist: true)
        } write: { edited in
            .pushed(
                backups: try HostFileStore.replace(
                    local, expected: original.bytes, with: edited, type: type, action: "edit", locator: locator, options: options))
        }
    }
}
