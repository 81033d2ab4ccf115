//! Fuzz target: the `Destination` grammar parses any string without panicking, and whatever it
//! accepts prints back as exactly the same string.
#![no_main]

use b24_rest::shared::Destination;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    match input.parse::<Destination>() {
        Ok(destination) => assert_eq!(destination.to_string(), input),
        Err(err) => {
            assert_eq!(err.input(), input);
            let _ = err.to_string();
        }
    }
});
