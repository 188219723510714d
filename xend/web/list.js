// list.js: the domain list, polled every two seconds from /api/domains
// (the "list" command).  Each name links to its chart page.
"use strict";

async function refresh() {
  try {
    const { domains } = await xend.get("/api/domains");
    const body = document.querySelector("#domains tbody");
    const rows = domains.map((d) => {
      const tr = xend.el("tr", null, { "data-domain": d.name, "data-state": d.state });
      const name = xend.el("td");
      name.append(xend.el("a", d.name, { href: "/domain?name=" + encodeURIComponent(d.name) }));
      tr.append(name, xend.el("td", d.domid), xend.el("td", d.state, { class: "state" }),
        xend.el("td", xend.mib(d.mem_kib)), xend.el("td", d.online_vcpus ?? d.vcpus),
        xend.el("td", (d.cpu_ns / 1e9).toFixed(1) + " s"));
      return tr;
    });
    body.replaceChildren(...rows);
    xend.status(domains.length + " domains, updated " + new Date().toLocaleTimeString(), false);
  } catch (e) {
    xend.status("cannot read the domain list: " + e.message, true);
  }
}

refresh();
setInterval(refresh, 2000);
