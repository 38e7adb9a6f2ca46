fn main() {
    // The window serves the bundled front end from ui/dist. A checkout where the
    // UI has not been built yet (plain `cargo build`, clippy) still compiles: it
    // gets a page telling the developer how to build the UI.
    let dist = std::path::Path::new("ui/dist");
    if !dist.join("index.html").exists() {
        let _ = std::fs::create_dir_all(dist);
        let _ = std::fs::write(
            dist.join("index.html"),
            "<!doctype html><meta charset=utf-8><title>Noren</title>\
             <p>UI not built. Run <code>npm --prefix ui ci &amp;&amp; npm --prefix ui run build</code>.</p>",
        );
    }
    let attrs = tauri_build::Attributes::new().capabilities_path_pattern("src-tauri/capabilities/**/*");
    if let Err(e) = tauri_build::try_build(attrs) {
        eprintln!("tauri-build failed: {e:#}");
        std::process::exit(1);
    }
}
