/* Where the hosted-engine tool is: scripts/install writes its own prefix here. An absolute
 * path: under sudo's secure_path a bare name could find upstream's /usr/sbin/hosted-engine. */
window.hostedEngineTool = "/usr/local/sbin/hosted-engine";
