//! The emulator alone, against the vt100 crate it replaced, on the streams
//! the shared harness times through a whole multiplexer: plain text,
//! SGR-heavy text, and `yes` (short lines, a scroll each). Throughput is in
//! MiB/s of input: `cargo bench --bench emulator`.
#![allow(dead_code)]

// The emulator's files, by path: agmux is a binary crate, and the emulator
// needs nothing of it but these two modules.
#[path = "../src/server/emulator/mod.rs"]
mod emulator;
#[path = "../src/screen.rs"]
mod screen;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use emulator::{Emu, Emulator};
use std::hint::black_box;

const SIZE: usize = 4 << 20;

/// A deterministic byte stream of about `SIZE` bytes.
fn stream(kind: &str) -> Vec<u8> {
    let mut rng = emulator::fuzz::Rng::new(42);
    let mut out = Vec::with_capacity(SIZE + 256);
    while out.len() < SIZE {
        match kind {
            "yes" => out.extend_from_slice(b"y\r\n"),
            "plain" => {
                let len = 20 + rng.below(100) as usize;
                out.extend((0..len).map(|_| b' ' + rng.below(95) as u8));
                out.extend_from_slice(b"\r\n");
            }
            _ => {
                for _ in 0..rng.below(12) + 1 {
                    let c = rng.below(256);
                    let s = match rng.below(3) {
                        0 => format!("\x1b[38;5;{c}m"),
                        1 => format!("\x1b[1;3{}m", c % 8),
                        _ => format!("\x1b[38;2;{c};{};{}m", 255 - c, c / 2),
                    };
                    out.extend_from_slice(s.as_bytes());
                    out.extend((0..rng.below(10) + 1).map(|_| b'a' + rng.below(26) as u8));
                    out.extend_from_slice(b"\x1b[0m ");
                }
                out.extend_from_slice(b"\r\n");
            }
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    for kind in ["plain", "sgr", "yes"] {
        let data = stream(kind);
        let mut group = c.benchmark_group(kind);
        group.throughput(Throughput::Bytes(data.len() as u64));
        group.sample_size(10);
        // Fed in 4 KiB pieces, as a pty read gives them.
        group.bench_function("agmux", |b| {
            b.iter(|| {
                let mut e = Emu::new(80, 24, 2000);
                for chunk in data.chunks(4096) {
                    e.process(chunk);
                }
                black_box(e.screen_lines().len())
            })
        });
        group.bench_function("vt100", |b| {
            b.iter(|| {
                let mut p = vt100::Parser::new(
                    std::num::NonZeroU16::new(24).unwrap_or(std::num::NonZeroU16::MIN),
                    std::num::NonZeroU16::new(80).unwrap_or(std::num::NonZeroU16::MIN),
                    2000,
                );
                for chunk in data.chunks(4096) {
                    p.process(chunk);
                }
                black_box(p.screen().cursor_position())
            })
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
