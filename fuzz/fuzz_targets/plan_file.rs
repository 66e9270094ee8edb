//! Any bytes through the saved-plan reader end in a plan or an error that
//! names the file, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = wsctl::plan::parse_saved("plan.json", &text);
});
