// domain.js: one domain's page: its state, the action buttons (each a
// POST to /api/action, the same command table as xenctl) and its charts
// (CPU, memory, balloon requests) over the chosen time range, drawn by
// uPlot from /api/series (the "series" command).  Each chart's element
// gets data-points, the number of points drawn, for the tests.
"use strict";

const name = new URLSearchParams(location.search).get("name") || "";
const charts = {};

function chartWidth() {
  return Math.max(400, Math.min(1000, document.body.clientWidth - 40));
}

function draw(id, opts, data) {
  const host = document.getElementById(id);
  if (charts[id]) charts[id].destroy();
  host.replaceChildren();
  opts.width = chartWidth();
  opts.height = 240;
  charts[id] = new uPlot(opts, data, host);
  const n = data.slice(1).reduce((sum, s) => sum + s.filter((v) => v !== null).length, 0);
  host.setAttribute("data-points", String(n));
}

// Value axes start at 0, so a flat line is not blown up to fill the chart.
function fromZero(u, min, max) {
  return [0, max > 0 ? max * 1.1 : 1];
}

function balloonSummary(reqs) {
  const count = (o) => reqs.filter((r) => r.outcome === o).length;
  const times = reqs.filter((r) => r.comply_ms !== null).map((r) => r.comply_ms).sort((a, b) => a - b);
  const median = times.length ? (times[Math.floor((times.length - 1) / 2)] / 1000).toFixed(1) + " s" : "none";
  const other = reqs.length - count("met") - count("missed") - count("pending");
  return `${reqs.length} requests: ${count("met")} met, ${count("missed")} missed, ` +
    `${count("pending")} pending, ${other} without a deadline or refused; ` +
    `median time to comply ${median}`;
}

async function loadCharts() {
  const range = Number(document.getElementById("range").value);
  const until = Math.floor(Date.now() / 1000) + 1;
  const since = until - range;
  try {
    const s = await xend.get(`/api/series?domain=${encodeURIComponent(name)}&since=${since}&until=${until}`);
    const x = { scale: "x" };
    draw("chart-cpu", {
      title: "CPU (% of one CPU)",
      scales: { x: { time: true, range: [since, until] }, y: { range: fromZero } },
      series: [x, { label: "CPU %", stroke: "#1f77b4", width: 2, spanGaps: false }],
    }, [s.t, s.cpu_pct]);
    draw("chart-mem", {
      title: "Memory (MiB)",
      scales: { x: { time: true, range: [since, until] }, y: { range: fromZero } },
      series: [x, { label: "memory MiB", stroke: "#2ca02c", width: 2 }],
    }, [s.t, s.mem_mib]);
    const b = s.balloon;
    draw("chart-balloon", {
      title: "Balloon requests: target and time to comply",
      scales: { x: { time: true, range: [since, until] }, y: { range: fromZero }, s: { range: fromZero } },
      axes: [{}, { label: "MiB" }, { side: 1, scale: "s", label: "seconds", grid: { show: false } }],
      series: [x,
        { label: "from MiB", stroke: "#999", paths: () => null, points: { show: true, size: 7 } },
        { label: "target MiB", stroke: "#d62728", paths: () => null, points: { show: true, size: 9 } },
        { label: "time to comply s", scale: "s", stroke: "#9467bd", paths: () => null, points: { show: true, size: 7 } }],
    }, [b.map((r) => r.t), b.map((r) => r.from_mib), b.map((r) => r.target_mib),
      b.map((r) => (r.comply_ms === null ? null : r.comply_ms / 1000))]);
    document.getElementById("balloon-summary").textContent = balloonSummary(b);
  } catch (e) {
    xend.status("cannot read the samples: " + e.message, true);
  }
}

async function loadState() {
  try {
    const { domains } = await xend.get("/api/domains");
    const d = domains.find((x) => x.name === name);
    document.getElementById("state").textContent = d ? d.state : "gone";
    if (d && !document.getElementById("mem-mib").value)
      document.getElementById("mem-mib").value = Math.round(d.target_kib / 1024);
  } catch (e) {
    xend.status("cannot read the domain: " + e.message, true);
  }
}

function action(id, build) {
  document.getElementById(id).addEventListener("click", async () => {
    const a = Object.assign({ cmd: id, domain: name }, build ? build() : {});
    xend.status(`${id}: running…`, false);
    try {
      await xend.post(a);
      xend.status(`${id}: done`, false);
    } catch (e) {
      xend.status(`${id}: ${e.message}`, true);
    }
    loadState();
  });
}

document.getElementById("title").textContent = name;
document.title = "xend: " + name;
action("pause");
action("unpause");
action("shutdown");
action("save", () => ({ file: document.getElementById("save-file").value }));
action("mem-set", () => {
  const a = { memory_mib: Number(document.getElementById("mem-mib").value) };
  const d = document.getElementById("mem-deadline").value;
  if (d !== "") a.deadline_s = Number(d);
  return a;
});
document.getElementById("range").addEventListener("change", loadCharts);
loadState().then(loadCharts).then(() => xend.status("ready", false));
setInterval(loadState, 2000);
setInterval(loadCharts, 10000);
