/* Cockpit's light and dark themes, as its own pages follow them (cockpit's
 * pkg/lib/cockpit-dark-theme.js): the shell's choice in localStorage "shell:style" (light, dark
 * or auto), else the system's, applied as the pf-v5-theme-dark class, and followed as it changes. */
"use strict";

(function () {
    function apply(chosen) {
        const style = chosen || localStorage.getItem("shell:style") || "auto";
        const systemDark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
        document.documentElement.classList.toggle("pf-v5-theme-dark", style === "dark" || (style === "auto" && systemDark));
    }
    window.addEventListener("storage", event => { if (event.key === "shell:style") apply() });
    window.addEventListener("cockpit-style", event => { if (event instanceof CustomEvent) apply(event.detail.style) });
    if (window.matchMedia)
        window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => apply());
    apply();
})();
