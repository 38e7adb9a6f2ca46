// App benchmark (not a test): idle memory with the vault unlocked and the
// credential list shown. Prints figures. Driven by scripts/bench-app.sh.
import { readFileSync, readdirSync } from "node:fs";
import { Driver } from "./webdriver.mjs";

const app = process.env.NOREN_APP;
const pass = process.env.BENCH_PASS;
const d = await new Driver().start(app);
try {
  await d.wait("[data-testid=unlock-form]", 30_000);
  await d.type("[data-testid=unlock-pass]", pass);
  await d.click("[data-testid=unlock-submit]");
  await d.wait("[data-nav=credentials]", 30_000);
  await d.click("[data-nav=credentials]");
  await d.waitText("[data-testid=cred-list]", "サービス");
  await new Promise((r) => setTimeout(r, 10_000)); // idle
  const rows = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    let cmd = "";
    let status = "";
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0];
      status = readFileSync(`/proc/${pid}/status`, "utf8");
    } catch {
      continue;
    }
    if (!/noren$|WebKitWebProcess|WebKitNetworkProcess/.test(cmd)) continue;
    const rss = Number((status.match(/VmRSS:\s+(\d+)/) ?? [])[1] ?? 0);
    rows.push({ pid, cmd: cmd.split("/").pop(), rss_mib: +(rss / 1024).toFixed(1) });
  }
  for (const r of rows) console.log(`  ${r.cmd.padEnd(22)} pid ${r.pid}: RSS ${r.rss_mib} MiB`);
  console.log(`idle RSS, all Noren processes: ${rows.reduce((a, r) => a + r.rss_mib, 0).toFixed(1)} MiB`);
} finally {
  await d.quit();
}
