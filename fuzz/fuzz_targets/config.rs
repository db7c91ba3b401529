//! Fuzzes the settings parser (`Config::parse`): whatever the text, an
//! error names a line inside it, never a panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use qabot::config::Config;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err((line, _message)) = Config::parse(&text) {
        let lines = text.split('\n').count();
        assert!((1..=lines).contains(&line), "line {line} of {lines}");
    }
});
