//! Copying secrets to the clipboard, cleared after 20 seconds (or on lock)
//! when the clipboard still holds what Noren put there.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use noren_core::SecretString;

pub const CLEAR_AFTER: Duration = Duration::from_secs(20);

#[derive(Default)]
struct Inner {
    board: Option<arboard::Clipboard>,
    copied: Option<SecretString>,
    generation: u64,
}

#[derive(Clone, Default)]
pub struct Clipboard {
    inner: Arc<Mutex<Inner>>,
}

impl Clipboard {
    pub fn copy(&self, value: SecretString) -> Result<u64, String> {
        let mut g = self.inner.lock().map_err(|_| "clipboard state poisoned".to_string())?;
        if g.board.is_none() {
            g.board = Some(arboard::Clipboard::new().map_err(|e| e.to_string())?);
        }
        if let Some(b) = g.board.as_mut() {
            b.set_text(value.expose().to_string()).map_err(|e| e.to_string())?;
        }
        g.copied = Some(value);
        g.generation += 1;
        let generation = g.generation;
        drop(g);
        let me = self.clone();
        std::thread::spawn(move || {
            std::thread::sleep(CLEAR_AFTER);
            me.clear_if(Some(generation));
        });
        Ok(CLEAR_AFTER.as_secs())
    }

    /// Copies text that is no secret (a reply to paste into LINE): it stays.
    pub fn copy_plain(&self, text: &str) -> Result<(), String> {
        let mut g = self.inner.lock().map_err(|_| "clipboard state poisoned".to_string())?;
        if g.board.is_none() {
            g.board = Some(arboard::Clipboard::new().map_err(|e| e.to_string())?);
        }
        // A secret copied earlier is no longer on the clipboard: nothing to clear later.
        g.copied = None;
        g.generation += 1;
        match g.board.as_mut() {
            Some(b) => b.set_text(text.to_string()).map_err(|e| e.to_string()),
            None => Err("no clipboard".into()),
        }
    }

    /// Clears the clipboard if it still holds our copy (of `generation`, or any).
    pub fn clear_if(&self, generation: Option<u64>) {
        let Ok(mut g) = self.inner.lock() else { return };
        if generation.is_some_and(|gen| gen != g.generation) {
            return;
        }
        let Some(copied) = g.copied.take() else {
            return;
        };
        if let Some(b) = g.board.as_mut() {
            let still_ours = b.get_text().map(|t| t == copied.expose()).unwrap_or(false);
            if still_ours {
                let _ = b.set_text(String::new());
                let _ = b.clear();
            }
        }
    }
}
