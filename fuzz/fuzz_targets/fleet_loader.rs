//! Any bytes through the fleet loader (and the graph of what loads) end in
//! a fleet or diagnostics, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(fleet) = wsctl::spec::parse("fleet.toml", &text) {
        let _ = wsctl::graph::ResourceGraph::build(&fleet);
    }
});
