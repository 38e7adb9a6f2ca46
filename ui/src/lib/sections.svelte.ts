// One screen of several forms: while one form's work runs the screen is busy, and its error
// is shown in that form's section and scrolled into view, next to what was done (issue 20).
import { tick } from "svelte";
import { errorText } from "./i18n.svelte";

export class Sections<S extends string> {
  busy = $state(false);
  error = $state("");
  at: S = $state() as S;
  /** Where the error of a section is shown (a CSS selector). */
  readonly alert: (at: S) => string;

  constructor(first: S, alert: (at: S) => string) {
    this.at = first;
    this.alert = alert;
  }

  async run<T>(at: S, f: () => Promise<T>): Promise<T | undefined> {
    this.busy = true;
    this.error = "";
    this.at = at;
    try {
      return await f();
    } catch (e) {
      this.error = errorText(e);
      await tick();
      document.querySelector<HTMLElement>(this.alert(at))?.scrollIntoView({ block: "center" });
      return undefined;
    } finally {
      this.busy = false;
    }
  }
}
