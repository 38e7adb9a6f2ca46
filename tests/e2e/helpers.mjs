// Steps several end-to-end tests share.

/** First-run setup with `pass`; resolves once the unlocked window shows its navigation. */
export async function firstRun(d, pass) {
  await d.wait("[data-testid=setup-form]");
  await d.type("[data-testid=setup-pass]", pass);
  await d.type("[data-testid=setup-again]", pass);
  await d.click("[data-testid=setup-understood]");
  await d.click("[data-testid=setup-create]");
  await d.wait("[data-nav=settings]", 30_000);
}
