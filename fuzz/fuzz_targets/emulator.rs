//! Arbitrary bytes and resizes into the emulator; the body
//! (`src/server/emulator/fuzz.rs`) checks that nothing panics, the cursor
//! stays on the screen and every line is as wide as the screen.
#![no_main]
#![allow(dead_code)]

// The emulator needs only these two modules of the agmux crate, so they
// are compiled here by path rather than split into a library.
#[path = "../../src/screen.rs"]
mod screen;
#[path = "../../src/server/emulator/mod.rs"]
mod emulator;

libfuzzer_sys::fuzz_target!(|data: &[u8]| emulator::fuzz::run(data));
