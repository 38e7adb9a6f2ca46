// The startup probe's mark of when the bundle began to run (ms since the epoch):
// main.ts imports this module first. Sent with the `ui_ready` probe, which the
// window prints only under NOREN_STARTUP_PROBE (scripts/bench-window.sh).
export const scriptStarted = performance.timeOrigin + performance.now();
