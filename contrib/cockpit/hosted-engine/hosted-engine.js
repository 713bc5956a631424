/* The Hosted Engine page: every rule, lock and message is the command line's. This file only
 * runs `hosted-engine ... --json` through cockpit.spawn (as root through Cockpit's superuser)
 * and shows what it says. Values from the storage are untrusted: they are only ever set as
 * text (textContent), never as markup. */
"use strict";

const tool = window.hostedEngineTool || "/usr/local/sbin/hosted-engine";
const ADMIN_NEEDED = "Administrative access is needed: turn it on in Cockpit's top bar, then reload.";

/* Runs the tool; resolves with stdout, rejects with {message, status, output}. */
function run(args) {
    return new Promise((resolve, reject) => {
        cockpit.spawn([tool, ...args], { superuser: "try", err: "message" })
                .then(resolve)
                .catch((exception, output) => {
                    let message = exception.message || String(exception);
                    if (exception.problem === "not-found")
                        message = "The hosted-engine tool is not installed on this host (install the hosted-engine-config package).";
                    else if (exception.problem === "access-denied" || exception.problem === "not-authorized")
                        message = ADMIN_NEEDED;
                    reject({ message, status: exception.exit_status, output: output || "", problem: exception.problem });
                });
    });
}

function element(tag, text, attributes) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null)
        node.textContent = text;
    for (const [name, value] of Object.entries(attributes || {}))
        node.setAttribute(name, value);
    return node;
}

function button(label, handler, kind) {
    const node = element("button", label, { type: "button", class: "pf-v5-c-button " + (kind || "pf-m-secondary") });
    node.addEventListener("click", handler);
    return node;
}

function setState(text, kind) {
    const state = document.getElementById("state");
    state.textContent = text;
    state.className = "he-state" + (kind ? " he-" + kind : "");
}

function busy(on, what) {
    document.getElementById("page").setAttribute("aria-busy", on ? "true" : "false");
    if (on)
        setState(what + "…", "busy");
}

/* Asks before a write, showing what it changes; resolves true when confirmed. */
function confirmChange(title, text, action) {
    const dialog = document.getElementById("confirm");
    document.getElementById("confirm-title").textContent = title;
    document.getElementById("confirm-text").textContent = text;
    document.getElementById("confirm-ok").textContent = action;
    return new Promise(resolve => {
        dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
        dialog.showModal();
    });
}

/* ---- Configuration ---- */

/* Each type's keys: which are editable and the rule in words, from the tool's own tables. */
let interfaceTypes = {};

function renderTypes(all) {
    const container = document.getElementById("types");
    container.replaceChildren();
    for (const [type, values] of Object.entries(all)) {
        const table = element("table", null, { class: "he-table", "aria-label": "Keys of type " + type });
        table.append(element("caption", "type " + type));
        const head = element("tr");
        head.append(element("th", "Key", { scope: "col" }), element("th", "Value", { scope: "col" }), element("th", "Rule", { scope: "col" }),
                    element("th", "", { scope: "col" }));
        table.append(head);
        const known = interfaceTypes[type] || {};
        for (const [key, value] of Object.entries(values)) {
            const row = element("tr", null, { "data-key": key, "data-type": type });
            const valueCell = element("td", value, { class: "he-value" });
            const editable = (known.editable || []).includes(key) || key.startsWith("nic.");
            const rule = (known.rules || {})[key];
            const ruleCell = element("td", editable ? (rule || "") : "not editable here" + (rule ? " (" + rule + ")" : ""), { class: "he-rule" });
            const action = element("td");
            if (value !== "(secret)" && (editable || (known.keys || []).includes(key)))
                action.append(button("Edit", () => editRow(row, type, key, value), "pf-m-link"));
            row.append(element("th", key, { scope: "row" }), valueCell, ruleCell, action);
            table.append(row);
        }
        container.append(table);
    }
}

function editRow(row, type, key, value) {
    const cell = row.children[1];
    const action = row.children[2];
    const id = "edit-" + type + "-" + key.replace(/[^A-Za-z0-9_-]/g, "_");
    const input = element("input", null, { id, type: "text", "aria-label": "New value of " + key + " (type " + type + ")" });
    input.value = value;
    const check = element("p", "", { class: "he-check", role: "status", "aria-live": "polite" });
    cell.replaceChildren(input, check);
    let timer = null;
    const dryRun = () => {
        run(["--set-shared-config", key, input.value, "--type", type, "--dry-run", "--json"])
                .then(out => {
                    const answer = JSON.parse(out);
                    check.className = "he-check he-good";
                    check.textContent = answer.changed ? "Valid; it would change from " + (answer.old === null ? "(not set)" : answer.old) + "." : "Already this value.";
                })
                .catch(error => {
                    check.className = "he-check he-bad";
                    check.textContent = error.message;
                });
    };
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(dryRun, 300) });
    // The value shown is the base: a write after another writer changed the key is a conflict.
    const save = button("Save", () => setKey(type, key, input.value, check, value), "pf-m-primary");
    const cancel = button("Cancel", () => load(), "pf-m-link");
    action.replaceChildren(save, cancel);
    input.focus();
}

function setKey(type, key, value, check, shown) {
    busy(true, "Writing " + key);
    const base = shown === undefined ? [] : ["--if-value", shown];
    const write = force => run(["--set-shared-config", key, value, "--type", type, "--json"].concat(base, force ? ["--force"] : []));
    write(false)
            .catch(error => {
                // A change that must be seen and confirmed: the tool's dry run says what it changes.
                if (error.status === 1 && /pass --force/.test(error.message))
                    return run(["--set-shared-config", key, value, "--type", type, "--dry-run"])
                            .then(text => confirmChange("Change " + key, text, "Write this change"))
                            .then(yes => yes ? write(true) : Promise.reject({ message: "Not confirmed; nothing was written." }));
                return Promise.reject(error);
            })
            .then(out => {
                const answer = JSON.parse(out);
                const notes = (answer.notes || []).join(" ");
                setState((answer.changed ? "Saved " + key + ". " : key + " already held that value. ") + notes, "good");
                return load(true);
            })
            .catch(error => {
                busy(false);
                const conflict = error.status === 3 ? " (another writer changed it; read again and retry)" : "";
                if (check) {
                    check.className = "he-check he-bad";
                    check.textContent = error.message + conflict;
                }
                setState(error.message + conflict, "bad");
            });
}

/* ---- History ---- */

function renderHistory(versions) {
    const container = document.getElementById("history");
    container.replaceChildren();
    if (versions.length === 0) {
        container.append(element("p", "No versions yet; every write adds one."));
        return;
    }
    const table = element("table", null, { class: "he-table", "aria-label": "Versions of the shared configuration" });
    const head = element("tr");
    for (const title of ["Version", "Time", "Host", "User", "Command", "Keys changed", ""])
        head.append(element("th", title, { scope: "col" }));
    table.append(head);
    for (const version of versions) {
        const row = element("tr", null, { "data-version": version.id });
        const host = version.host_id === null ? (version.hostname || "(unknown)") : "host " + version.host_id + " (" + version.hostname + ")";
        const actions = element("td");
        actions.append(button("Compare with now", () => compare(version.id), "pf-m-link"));
        if (!version.current) {
            actions.append(button("Restore", () => restore(version.id), "pf-m-link"));
            // One key of it, as a set would: later changes to other keys stay.
            for (const changed of version.keys.filter(name => name.includes(":"))) {
                const [type, key] = changed.split(":");
                actions.append(button("Restore " + key, () => restoreKey(version.id, type, key), "pf-m-link"));
            }
        }
        row.append(element("th", version.id + (version.current ? " (now)" : ""), { scope: "row" }), element("td", version.time),
                   element("td", host), element("td", version.user || "(unknown)"), element("td", version.command),
                   element("td", version.keys.join(", ") || "-"), actions);
        table.append(row);
    }
    container.append(table);
}

function compare(id) {
    const detail = document.getElementById("history-detail");
    run(["--show-version", id, "--diff", "--json"])
            .then(out => {
                const answer = JSON.parse(out);
                detail.textContent = answer.changes.length ? "From " + answer.from + " to now:\n" + answer.changes.join("\n") : "No difference between " + answer.from + " and now.";
                detail.hidden = false;
            })
            .catch(error => { detail.textContent = error.message; detail.hidden = false });
}

function restore(id) {
    run(["--restore-backup", id, "--dry-run"])
            .then(text => confirmChange("Restore " + id, text, "Restore " + id))
            .then(yes => {
                if (!yes)
                    return setState("Not confirmed; nothing was written.");
                busy(true, "Restoring " + id);
                return run(["--restore-backup", id, "--force"]).then(() => {
                    setState("Restored " + id + ".", "good");
                    return load(true);
                });
            })
            .catch(error => { busy(false); setState(error.message, "bad") });
}

function restoreKey(id, type, key) {
    run(["--restore-backup", id, "--key", key, "--type", type, "--dry-run"])
            .then(text => text.trim() === ""
                ? Promise.reject({ message: key + " already holds the value " + id + " holds; nothing to restore." })
                : confirmChange("Restore " + key + " from " + id, text, "Restore " + key))
            .then(yes => {
                if (!yes)
                    return setState("Not confirmed; nothing was written.");
                busy(true, "Restoring " + key + " from " + id);
                return run(["--restore-backup", id, "--key", key, "--type", type, "--force"]).then(() => {
                    setState("Restored " + key + " from " + id + ".", "good");
                    return load(true);
                });
            })
            .catch(error => { busy(false); setState(error.message, "bad") });
}

/* ---- Storage health ---- */

function card(title, good, lines) {
    const node = element("article", null, { class: "he-card " + (good ? "he-card-good" : "he-card-bad") });
    node.append(element("h3", (good ? "✓ " : "✗ ") + title));
    for (const line of lines)
        node.append(element("p", line));
    return node;
}

function renderHealth(report) {
    const container = document.getElementById("health");
    container.replaceChildren();
    const problems = report.problems || [];
    const about = path => problems.filter(problem => path && problem.includes(path));
    const volume = report.configurationVolume;
    if (volume) {
        const found = about(volume.path);
        const history = volume.history ? [volume.history.versions + " versions in the shared history" + (volume.history.current ? ", the volume holds " + volume.history.current : "")] : [];
        container.append(card("Configuration volume", found.length === 0, [volume.path].concat(history, found)));
    }
    for (const store of report.ovfStores || []) {
        const found = about(store.path);
        container.append(card("OVF_STORE copy" + (store.newest ? " (newest)" : ""), found.length === 0, [store.path].concat(found)));
    }
    if (report.hostedEngineConf) {
        const found = about(report.hostedEngineConf.localPath);
        container.append(card("This host's hosted-engine.conf", found.length === 0, [report.hostedEngineConf.localPath].concat(found)));
    }
    const list = element("ul", null, { class: "he-problems", "aria-label": "Problems" });
    problems.forEach((problem, index) => {
        const item = element("li", problem);
        const fix = (report.fixes || []).find(entry => entry.problem === index);
        // One click away where it is safe: settling a pending write reads, and completes what the journal holds.
        if (fix && fix.commands.length === 1 && fix.commands[0] === "hosted-engine --get-all-config")
            item.append(" ", button("Run: " + fix.commands[0], () => run(["--get-all-config", "--json"]).then(verify).catch(error => setState(error.message, "bad"))));
        else if (fix)
            item.append(element("code", " " + fix.commands.join(" && "), { class: "he-fix" }));
        list.append(item);
    });
    document.getElementById("health-problems").replaceChildren(...(problems.length ? [list] : []));
    setState(problems.length ? problems.length + " problem" + (problems.length === 1 ? "" : "s") + " found." : "No problems found.", problems.length ? "bad" : "good");
}

function verify() {
    busy(true, "Checking the storage");
    return run(["--verify-storage", "--json"])
            .then(out => { busy(false); renderHealth(JSON.parse(out)) })
            .catch(error => {
                busy(false);
                // Exit 1 with a report: the problems it found.
                try {
                    renderHealth(JSON.parse(error.output));
                } catch (_) {
                    setState(error.message, "bad");
                }
            });
}

/* ---- Loading ---- */

function load(keepState) {
    if (!keepState)
        busy(true, "Reading the configuration");
    return run(["--interface-json"])
            .then(out => {
                for (const type of JSON.parse(out).types)
                    interfaceTypes[type.name] = type;
            })
            .catch(() => {})
            .then(() => run(["--get-all-config", "--json"]))
            .then(out => {
                renderTypes(JSON.parse(out));
                return run(["--history", "--json"]).then(out => renderHistory(JSON.parse(out))).catch(() => renderHistory([]));
            })
            .then(() => {
                document.getElementById("page").setAttribute("aria-busy", "false");
                if (!keepState)
                    setState("Ready.", "good");
            })
            .catch(error => { busy(false); setState(error.message, "bad") });
}

/* Without administrative access the tool would run as this user, who may not read the storage
 * or this host's files: the page says what to do instead of showing the tool's permission
 * errors. Cockpit's admin permission follows the superuser switch in its top bar; when it
 * cannot tell (allowed stays null), the page loads and the tool's own message stands. */
function startWhenPermitted() {
    const permission = cockpit.permission({ admin: true });
    let started = false;
    const start = () => {
        if (started)
            return;
        if (permission.allowed === false) {
            document.getElementById("page").setAttribute("aria-busy", "false");
            setState(ADMIN_NEEDED, "bad");
            return;
        }
        started = true;
        load();
    };
    permission.addEventListener("changed", () => { if (permission.allowed !== null) start(); });
    if (permission.allowed !== null)
        start();
    window.setTimeout(() => { if (permission.allowed === null) start(); }, 3000);
}

document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("verify").addEventListener("click", verify);
    startWhenPermitted();
});
