//! What a process holding the shop's passwords does first: no core dumps.
//! A crash (or SIGABRT at a prompt) would otherwise write the decrypted vault
//! into a core file (seen: 53 MB with a password and a note in it).

/// Disables core dumps for this process and makes it non-dumpable (no
/// ptrace attach by other processes of the same user, no core file). Best
/// effort: on failure the process goes on (it is not less safe than before).
pub fn no_core_dumps() {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{set_dumpable_behavior, setrlimit, DumpableBehavior, Resource, Rlimit};
        let _ = setrlimit(Resource::Core, Rlimit { current: Some(0), maximum: Some(0) });
        let _ = set_dumpable_behavior(DumpableBehavior::NotDumpable);
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_os = "linux")]
    #[test]
    fn after_it_no_core_file_can_be_written() {
        super::no_core_dumps();
        let status = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
        let core = status.lines().find(|l| l.starts_with("Max core file size")).unwrap_or_default().to_string();
        assert!(core.split_whitespace().filter(|w| *w == "0").count() >= 2, "{core}");
        let dumpable = rustix::process::dumpable_behavior().ok();
        assert_eq!(dumpable, Some(rustix::process::DumpableBehavior::NotDumpable));
    }
}
