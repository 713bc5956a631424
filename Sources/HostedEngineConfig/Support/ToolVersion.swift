/// The version of the tool, the one string `--version` prints and the README names.
public enum ToolVersion {
    public static let string = "0.13.0"
}
