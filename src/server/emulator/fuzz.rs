//! The fuzz body and the random streams: what `fuzz/` runs under
//! libFuzzer, what `cargo test` runs over a few thousand generated inputs,
//! and what the differential tests replay into both emulators.

use super::{Emu, Emulator};

/// A small deterministic PRNG (SplitMix64): no dependency, same streams
/// on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 if n is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// One step of a generated session: output, or a resize.
#[derive(Debug, Clone)]
pub enum Step {
    Bytes(Vec<u8>),
    Resize(u16, u16),
}

/// Runs `data` as a fuzz input: the first bytes choose a size, then
/// each chunk is output, and a 0xff byte followed by two more resizes.
/// Panics (the fuzzer's finding) if an invariant breaks.
pub fn run(data: &[u8]) {
    let (cols, rows) = match data {
        [c, r, ..] => (u16::from(*c % 100) + 1, u16::from(*r % 40) + 1),
        _ => (80, 24),
    };
    let mut emu = Emu::new(cols, rows, 50);
    let mut rest = data.get(2..).unwrap_or(&[]);
    while !rest.is_empty() {
        match rest.iter().position(|b| *b == 0xff) {
            Some(i) => {
                emu.process(&rest[..i]);
                check(&mut emu);
                if let [c, r, ..] = rest[i + 1..] {
                    emu.resize(u16::from(c % 120) + 1, u16::from(r % 50) + 1);
                    check(&mut emu);
                }
                rest = rest.get(i + 3..).unwrap_or(&[]);
            }
            None => {
                emu.process(rest);
                rest = &[];
            }
        }
    }
    check(&mut emu);
}

/// The invariants: the cursor is on the screen (or just past the last
/// column, waiting to wrap), every line is as wide as the screen, and
/// each line's cells account for exactly its text.
pub fn check(emu: &mut Emu) {
    let (cols, rows) = emu.size();
    let (x, y) = emu.cursor();
    assert!(
        x <= cols && y < rows,
        "cursor {x},{y} outside {cols}x{rows}"
    );
    let hist = emu.history_size() as i64;
    for n in -hist..i64::from(rows) {
        let line = emu.line(n).expect("line inside the pane");
        check_line(&line, cols);
    }
    assert!(emu.line(i64::from(rows)).is_none());
    assert!(emu.line(-hist - 1).is_none());
    let lines = emu.screen_lines().to_vec();
    assert_eq!(lines.len(), usize::from(rows));
    for l in &lines {
        check_line(l, cols);
        assert_ne!(l.version, 0);
    }
    let _ = emu.take_replies();
}

fn check_line(line: &super::Line, cols: u16) {
    assert_eq!(line.cells.len(), usize::from(cols));
    let total: usize = line.cells.iter().map(|c| usize::from(c.len)).sum();
    assert_eq!(total, line.text.len());
    let _ = line.plain(true);
    let _ = line.with_escapes(true);
}

/// Random bytes with escape-sequence structure often enough to get past
/// the parser: the stable-Rust stand-in for libFuzzer's corpus.
pub fn random_input(rng: &mut Rng) -> Vec<u8> {
    const PIECES: &[&[u8]] = &[
        b"\x1b[",
        b"\x1b]",
        b"\x1bP",
        b"\x1b[?",
        b";",
        b"m",
        b"H",
        b"J",
        b"K",
        b"r",
        b"h",
        b"l",
        b"\x07",
        b"\x1b\\",
        b"\r\n",
        b"\t",
        b"\x08",
        "日本".as_bytes(),
        "e\u{301}".as_bytes(),
        "\u{fe0f}".as_bytes(),
        "🙂".as_bytes(),
        b"1049",
        b"\x1bc",
        b"\x1b#8",
        b"\xff",
        b"\x1b7",
        b"\x1b8",
        b"\x1bM",
    ];
    let len = rng.below(400) as usize;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        match rng.below(4) {
            0 => {
                let piece: &[u8] = rng.pick(PIECES);
                out.extend_from_slice(piece);
            }
            1 => out.push(rng.below(256) as u8),
            2 => out.extend(format!("{}", rng.below(300)).bytes()),
            _ => out.extend((0..rng.below(20)).map(|_| b'a' + rng.below(26) as u8)),
        }
    }
    out
}
