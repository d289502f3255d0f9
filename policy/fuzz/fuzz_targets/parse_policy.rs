//! Any bytes as a policy: parsing and the engine check must never panic, and every error
//! must say where it is.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match tetragon_policy::parse_policy("fuzz.yaml", text) {
        Ok(policy) => {
            let _ = tetragon_policy::check_engine_support(&policy);
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in errors.iter() {
                assert!(!e.path.is_empty() || e.line.is_some() || e.message.starts_with("no policy"));
            }
        }
    }
});
