import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { fileURLToPath } from "node:url";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [svelte()],
  clearScreen: false,
  // The message catalogue lives beside the Rust crates that read it too (src-tauri/locales).
  server: { port: 5173, strictPort: true, fs: { allow: [".", "../src-tauri/locales"] } },
  build: { outDir: "dist", emptyOutDir: true, target: "safari15" },
  resolve: process.env.VITEST ? { conditions: ["browser"] } : undefined,
  test: { environment: "jsdom", include: ["src/**/*.test.ts"] },
});
