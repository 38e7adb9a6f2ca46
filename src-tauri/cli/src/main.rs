//! `noren-cli`: the command-line front end over `noren_core`.
//!
//! Contract (stable): `noren-cli [--store DIR] <command> [--json]`; errors are
//! one `error:` line on stderr; exit 1 error, 2 usage, 3 wrong passphrase,
//! 4 store in use, 5 wrong password of an imported file, 10 when `check`
//! finds something due.

/// `println!` for people: what a name or a note holds is shown, never run by
/// the terminal (escape sequences and direction overrides appear as `\u{…}`).
macro_rules! say {
    ($($t:tt)*) => { $crate::io::say_line(&format!($($t)*)) };
}

/// `eprintln!` likewise (warnings, the confirmation of a plain-text export).
macro_rules! esay {
    ($($t:tt)*) => { eprintln!("{}", noren_core::validate::printable(&format!($($t)*))) };
}

mod args;
mod calendar_cmd;
mod cmd;
mod customer_cmd;
mod handover_cmd;
mod io;
mod migrate_cmd;
mod open;
mod sync_cmd;
mod vendor_cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    noren_core::harden::no_core_dumps();
    // The temp folder is read here, at the front end (private copies of read-only stores).
    noren_core::store::set_scratch_dir(std::env::temp_dir());
    let cli = match cmd::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand)
            {
                let _ = e.print();
                return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand { ExitCode::from(2) } else { ExitCode::SUCCESS };
            }
            let text = e.render().to_string();
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("invalid usage");
            let first = first.strip_prefix("error: ").unwrap_or(first);
            eprintln!("error: {} (see noren-cli --help)", noren_core::validate::printable(first));
            return ExitCode::from(2);
        }
    };
    match cmd::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {}", noren_core::validate::printable(&io::one_line(&e.to_string())));
            ExitCode::from(e.exit_code())
        }
    }
}
