//! Differential tests: generated streams replayed into [`Emu`] and the
//! vt100 crate ([`Vt100`], what panes used before), compared cell for
//! cell, with the cursor, the modes, history and capture-pane's output.
//!
//! agmux runs these with `vt100_compat` on, which leaves out what it does
//! beyond vt100 (random bytes can spell any sequence); each of these
//! follows tmux, and has a unit test below instead:
//! - HTS (`ESC H`), TBC (`CSI g`) and CBT (`CSI Z`): tab stops; vt100 has
//!   fixed stops every 8 columns and ignores all three.
//! - DECALN (`ESC # 8`): fills the screen with E; vt100 ignores it.
//! - DECSET 1047: the alternate screen like 47; vt100 ignores it.
//! - OSC 0/2 titles with a `;` in them: tmux keeps everything after the
//!   first `;`; vt100 ignored the whole title.
//! - Answers vt100 never gave: CSI 18 t, DECRQM, XDA (`CSI > q`).
//! - `CSI s` / `CSI u` save and restore the cursor as DECSC/DECRC do;
//!   vt100 ignores them.
//! - SGR 5/6 (blink), 8 (hidden), 9 (strikethrough) and their resets
//!   25/28/29: tmux draws them and capture-pane -e prints them; vt100
//!   dropped them.
//! - `clear-history` on the alternate screen clears the main screen's
//!   history, as tmux does; vt100 cleared nothing.
//! - A character widened by U+FE0F on a one-column screen: vt100 leaves
//!   the cursor two columns past the edge, agmux just past it (where
//!   every other write leaves it, and the fuzz body checks it stays).
//! - History lines are compared only at the end of a case, at the final
//!   width: vt100 widened history rows narrower than the screen whenever
//!   one was read, dropping their wrap flag for good; agmux leaves them
//!   alone and reports such a row as not wrapped while it is narrower
//!   than the screen, which is what vt100 reports at any single width.
//! - Outside these tests agmux resizes as tmux does (`reflow.rs`): the
//!   main screen's lines and history rewrap to a new width, where vt100
//!   cuts rows; a wide character that wraps early marks its row wrapped,
//!   where vt100 marks only a full row; and a history row keeps its wrap
//!   flag at any width. The `reflow_*` tests below, and
//!   `tests/tmux_compat.rs` against tmux itself, hold these.

use super::fuzz::{Rng, Step};
use super::{Emu, Emulator, Line, Vt100};

/// Pieces the generator strings together.
fn piece(rng: &mut Rng, out: &mut Vec<u8>) {
    let n = |rng: &mut Rng| -> String {
        match rng.below(6) {
            0 => String::new(),
            1 => "0".into(),
            2 => format!("{}", rng.below(4)),
            3 => format!("{}", rng.below(30)),
            4 => format!("{}", rng.below(300)),
            _ => format!("{}", rng.below(70000)),
        }
    };
    let s: String = match rng.below(40) {
        0..=7 => {
            let len = rng.below(30) as usize;
            (0..len)
                .map(|_| (b' ' + rng.below(95) as u8) as char)
                .collect()
        }
        8 => rng
            .pick(&["日本語", "한글", "中", "🙂", "👍🏽", "ｱ", "漢字かな"])
            .to_string(),
        9 => rng
            .pick(&[
                "\u{301}",
                "\u{308}",
                "\u{fe0f}",
                "❤\u{fe0f}",
                "e\u{301}\u{302}",
                "\u{200d}",
                "a\u{fe0f}",
            ])
            .to_string(),
        10 => rng
            .pick(&[
                "\r\n", "\n", "\r", "\t", "\x08", "\x0b", "\x0c", "\x07", "\x0e", "\x00",
            ])
            .to_string(),
        11..=14 => {
            let params: &[&str] = &[
                "0",
                "1",
                "2",
                "3",
                "4",
                "7",
                "22",
                "23",
                "24",
                "27",
                "31",
                "37",
                "39",
                "42",
                "49",
                "92",
                "107",
                "38;5;200",
                "48;5;17",
                "38;2;10;20;30",
                "48;2;255;0;128",
                "38:2:1:2:3",
                "38:5:9",
                "38;2;300;1;1",
                "38;5",
                "38;9;1",
                "48;2;1;2",
                "5",
                "9",
                "",
                "1;31;42",
                "0;7",
            ];
            let k = rng.below(3) + 1;
            let list: Vec<&str> = (0..k).map(|_| rng.pick(params)).collect();
            format!("\x1b[{}m", list.join(";"))
        }
        15..=18 => {
            let f = rng.pick(&["A", "B", "C", "D", "E", "F", "G", "`", "d", "H", "f"]);
            if f == "H" || f == "f" {
                format!("\x1b[{};{}{f}", n(rng), n(rng))
            } else {
                format!("\x1b[{}{f}", n(rng))
            }
        }
        19 => format!("\x1b[{};{}r", n(rng), n(rng)),
        20 => rng.pick(&["\x1b[?6h", "\x1b[?6l", "\x1b[r"]).to_string(),
        21..=22 => {
            let f = rng.pick(&["L", "M", "@", "P", "X", "S", "T", "b"]);
            format!("\x1b[{}{f}", n(rng))
        }
        23..=24 => {
            let f = rng.pick(&["J", "K", "?J", "?K"]);
            let m = rng.pick(&["", "0", "1", "2", "3", "4"]);
            if let Some(f) = f.strip_prefix('?') {
                format!("\x1b[?{m}{f}")
            } else {
                format!("\x1b[{m}{f}")
            }
        }
        25 => rng
            .pick(&["\x1b[?1049h", "\x1b[?1049l", "\x1b[?47h", "\x1b[?47l"])
            .to_string(),
        26 => rng
            .pick(&["\x1b7", "\x1b8", "\x1bM", "\x1bD", "\x1bE"])
            .to_string(),
        27 => {
            let m = rng.pick(&[
                "1",
                "25",
                "2004",
                "9",
                "1000",
                "1002",
                "1003",
                "1005",
                "1006",
                "1004",
                "12",
                "1;2004",
                "1000;1006",
            ]);
            let hl = rng.pick(&["h", "l"]);
            format!("\x1b[?{m}{hl}")
        }
        28 => rng
            .pick(&[
                "\x1b=", "\x1b>", "\x1b(B", "\x1b)0", "\x1b[2 q", "\x1b[5 q", "\x1b[9 q",
                "\x1b[0 q",
            ])
            .to_string(),
        29 => {
            let t: String = (0..rng.below(8))
                .map(|_| (b'a' + rng.below(26) as u8) as char)
                .collect();
            let end = rng.pick(&["\x07", "\x1b\\"]);
            format!("\x1b]{};{t}{end}", rng.pick(&["0", "2", "1"]))
        }
        30 => rng
            .pick(&["\x1b[c", "\x1b[>c", "\x1b[5n", "\x1b[6n", "\x1b[0c"])
            .to_string(),
        31 => {
            if rng.below(10) == 0 {
                "\x1bc".into()
            } else {
                "\x1b[3J".into()
            }
        }
        32 => rng
            .pick(&["\u{80}", "\u{9b}", "\u{fffd}", "\x7f", "\u{17d8}"])
            .to_string(),
        33 => {
            // Invalid and cut UTF-8 and stray escapes.
            let raw: &[&[u8]] = &[
                b"\xe6\x97",
                b"\xff",
                b"\xc3",
                b"\x1b",
                b"\x1b[",
                b"\x1b[1;",
                b"\x1b]2;x",
            ];
            let piece: &[u8] = rng.pick(raw);
            out.extend_from_slice(piece);
            return;
        }
        34..=35 => {
            let w = rng.below(8) as usize + 1;
            "y\r\n".repeat(w)
        }
        _ => {
            let len = rng.below(12) as usize;
            let mut s: String = (0..len)
                .map(|_| (b'a' + rng.below(26) as u8) as char)
                .collect();
            let end: &str = rng.pick(&["\r\n", "", " ", "日"]);
            s.push_str(end);
            s
        }
    };
    out.extend_from_slice(s.as_bytes());
}

/// A case: a size, a history limit and a list of steps.
struct Case {
    cols: u16,
    rows: u16,
    history: usize,
    steps: Vec<Step>,
}

/// A case on a screen up to `max` (columns, rows) of up to `steps_max`
/// steps.
fn gen_case_in(rng: &mut Rng, max: (u64, u64), steps_max: u64) -> Case {
    let cols = rng.below(max.0) as u16 + 1;
    let rows = rng.below(max.1) as u16 + 1;
    let history = rng.pick(&[0, 1, 3, 10, 100]);
    let mut steps = Vec::new();
    for _ in 0..rng.below(steps_max) + 1 {
        if rng.below(12) == 0 {
            steps.push(Step::Resize(
                rng.below(max.0) as u16 + 1,
                rng.below(max.1) as u16 + 1,
            ));
        } else {
            let mut bytes = Vec::new();
            for _ in 0..rng.below(6) + 1 {
                piece(rng, &mut bytes);
            }
            steps.push(Step::Bytes(bytes));
        }
    }
    Case {
        cols,
        rows,
        history,
        steps,
    }
}

fn gen_case(rng: &mut Rng) -> Case {
    gen_case_in(rng, (30, 10), 40)
}

/// A line as compared: everything but the version (which only says
/// whether a line changed since it was last drawn).
fn key(l: &Line) -> Line {
    Line {
        version: 0,
        ..l.clone()
    }
}

fn compare_state(a: &mut Emu, b: &mut Vt100, what: &str) -> Result<(), String> {
    macro_rules! same {
        ($e:ident . $($call:tt)*) => {{
            let (x, y) = (a.$($call)*, b.$($call)*);
            if x != y {
                return Err(format!("{what}: {} differs: agmux {:?} vt100 {:?}", stringify!($($call)*), x, y));
            }
        }};
    }
    same!(e.size());
    // vt100 can leave the cursor two past the edge of a one-column screen
    // (a character widened by U+FE0F); agmux stops just past it.
    let (cols, _) = b.size();
    let (x, y) = b.cursor();
    if a.cursor() != (x.min(cols), y) {
        return Err(format!(
            "{what}: cursor agmux {:?} vt100 {:?}",
            a.cursor(),
            (x, y)
        ));
    }
    same!(e.cursor_visible());
    same!(e.cursor_style());
    same!(e.title());
    same!(e.input_modes());
    same!(e.mouse_mode());
    same!(e.focus_reporting());
    same!(e.alternate_screen());
    same!(e.history_size());
    same!(e.history_trimmed());
    same!(e.take_replies());
    let rows = a.size().1 as i64;
    for y in 0..rows {
        let (x, v) = (a.line(y).map(|l| key(&l)), b.line(y).map(|l| key(&l)));
        if x != v {
            return Err(format!(
                "{what}: line {y} differs:\n agmux {x:?}\n vt100 {v:?}"
            ));
        }
    }
    let la: Vec<Line> = a.screen_lines().iter().map(key).collect();
    let lb: Vec<Line> = b.screen_lines().iter().map(key).collect();
    if la != lb {
        return Err(format!("{what}: screen_lines differ"));
    }
    Ok(())
}

/// History and capture-pane's three forms, at the end of a case.
fn compare_history(a: &mut Emu, b: &mut Vt100) -> Result<(), String> {
    let hist = a.history_size() as i64;
    let rows = a.size().1 as i64;
    for y in -hist..rows {
        let (x, v) = (a.line(y), b.line(y));
        let (Some(x), Some(v)) = (x, v) else {
            return Err(format!("line {y} missing"));
        };
        for keep in [false, true] {
            if x.plain(keep) != v.plain(keep) || x.with_escapes(keep) != v.with_escapes(keep) {
                return Err(format!(
                    "capture of line {y} differs (keep {keep}):\n agmux {:?}\n vt100 {:?}",
                    x.with_escapes(keep),
                    v.with_escapes(keep)
                ));
            }
        }
        if key(&x) != key(&v) {
            return Err(format!("line {y} differs:\n agmux {x:?}\n vt100 {v:?}"));
        }
    }
    Ok(())
}

/// How a case ended.
enum Outcome {
    Same,
    /// vt100 panicked (it unwraps cells a wide character may have left
    /// missing); agmux went on. Compared up to there.
    Vt100Panicked,
}

fn run_case(case: &Case, rng: &mut Rng) -> Result<Outcome, String> {
    run_case_every(case, rng, 1)
}

/// Runs a case, comparing the whole state after every `every`th step
/// and the last.
fn run_case_every(case: &Case, rng: &mut Rng, every: usize) -> Result<Outcome, String> {
    let mut a = Emu::new(case.cols, case.rows, case.history).vt100_compat();
    let mut b = Vt100::new(case.cols, case.rows, case.history);
    for (i, step) in case.steps.iter().enumerate() {
        match step {
            Step::Bytes(bytes) => {
                // agmux gets the bytes in random pieces (the parser's state
                // and the fast path must carry across), vt100 at once.
                let mut rest = &bytes[..];
                while !rest.is_empty() {
                    let k = (rng.below(rest.len() as u64) as usize + 1).min(rest.len());
                    a.process(&rest[..k]);
                    rest = &rest[k..];
                }
                let fed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    b.process(bytes);
                }));
                if fed.is_err() {
                    return Ok(Outcome::Vt100Panicked);
                }
            }
            Step::Resize(c, r) => {
                a.resize(*c, *r);
                b.resize(*c, *r);
            }
        }
        if (i + 1) % every == 0 || i + 1 == case.steps.len() {
            compare_state(&mut a, &mut b, &format!("after step {i}"))?;
        }
    }
    compare_history(&mut a, &mut b)?;
    Ok(Outcome::Same)
}

fn show(case: &Case) -> String {
    let mut s = format!(
        "size {}x{} history {}\n",
        case.cols, case.rows, case.history
    );
    for step in &case.steps {
        match step {
            Step::Bytes(b) => s.push_str(&format!("  {:?}\n", String::from_utf8_lossy(b))),
            Step::Resize(c, r) => s.push_str(&format!("  resize {c}x{r}\n")),
        }
    }
    s
}

#[test]
fn differential_against_vt100() {
    let mut rng = Rng::new(0x5eed_0012);
    let mut vt100_panics = 0;
    for n in 0..2500 {
        let case = gen_case(&mut rng);
        let mut feed = Rng::new(n);
        match run_case(&case, &mut feed) {
            Err(e) => panic!("case {n}: {e}\n{}", show(&case)),
            Ok(Outcome::Vt100Panicked) => vt100_panics += 1,
            Ok(Outcome::Same) => {}
        }
    }
    // Terminal-sized screens too, with longer sessions.
    for n in 0..40 {
        let case = gen_case_in(&mut rng, (140, 50), 120);
        match run_case_every(&case, &mut Rng::new(n + 10_000), 10) {
            Err(e) => panic!("large case {n}: {e}\n{}", show(&case)),
            Ok(Outcome::Vt100Panicked) => vt100_panics += 1,
            Ok(Outcome::Same) => {}
        }
    }
    eprintln!("vt100 panicked in {vt100_panics} of 2540 cases");
    // Most cases must get to the end for the comparison to mean much.
    assert!(vt100_panics < 300, "vt100 panicked in {vt100_panics} cases");
}

fn emu(cols: u16, rows: u16, bytes: &[u8]) -> Emu {
    let mut e = Emu::new(cols, rows, 100);
    e.process(bytes);
    e
}

fn text(e: &mut Emu, y: i64) -> String {
    e.line(y).map(|l| l.plain(false)).unwrap_or_default()
}

#[test]
fn lines_history_and_wrap() {
    let mut e = emu(10, 3, b"one\r\ntwo\r\nthree\r\nfour");
    assert_eq!(e.history_size(), 1);
    assert_eq!(text(&mut e, -1), "one");
    assert_eq!(text(&mut e, 0), "two");
    assert_eq!(text(&mut e, 2), "four");
    assert!(e.line(3).is_none() && e.line(-2).is_none());
    assert_eq!(e.cursor(), (4, 2));
    let mut e = emu(4, 2, b"\x1b]2;hello\x07abcdef");
    assert_eq!(e.title(), "hello");
    assert!(e.line(0).unwrap().wrapped);
    assert_eq!(text(&mut e, 1), "ef");
}

#[test]
fn escapes_round_trip_colours() {
    let mut e = emu(20, 2, b"\x1b[31mred\x1b[0m \x1b[1;38;5;200mX\x1b[0m");
    let l = e.line(0).unwrap();
    assert_eq!(l.plain(false), "red X");
    assert_eq!(
        l.with_escapes(false),
        "\x1b[31mred\x1b[39m \x1b[1;38;5;200mX\x1b[0m"
    );
}

#[test]
fn blink_hidden_and_strikethrough_as_tmux() {
    let mut e = emu(20, 2, b"\x1b[5ma\x1b[8mb\x1b[9mc\x1b[25;28md\x1b[29me");
    assert_eq!(
        e.line(0).unwrap().with_escapes(false),
        "\x1b[5ma\x1b[8mb\x1b[9mc\x1b[0;9md\x1b[0me"
    );
}

#[test]
fn answers_queries_as_tmux() {
    let mut e = emu(20, 5, b"ab\x1b[6n\x1b[c\x1b[>c\x1b[5n\x1b[18t");
    assert_eq!(
        e.take_replies(),
        b"\x1b[1;3R\x1b[?1;2c\x1b[>84;0;0c\x1b[0n\x1b[8;5;20t"
    );
    assert!(e.take_replies().is_empty());
    // DECRQM: set, reset, unknown; the one ANSI mode (IRM) is reset.
    e.process(b"\x1b[?2004h\x1b[?2004$p\x1b[?1049$p\x1b[?4242$p\x1b[4$p\x1b[20$p");
    assert_eq!(
        e.take_replies(),
        b"\x1b[?2004;1$y\x1b[?1049;2$y\x1b[?4242;0$y\x1b[4;2$y\x1b[20;0$y"
    );
    // tmux 3.3a does not answer OSC 10/11 for panes with default colours.
    e.process(b"\x1b]10;?\x07\x1b]11;?\x1b\\\x1b[1c");
    assert!(e.take_replies().is_empty());
    e.process(b"\x1b[>q");
    assert!(e.take_replies().starts_with(b"\x1bP>|agmux "));
}

#[test]
fn modes_agmux_reads() {
    let mut e = emu(
        20,
        5,
        b"\x1b[?2004h\x1b[?1h\x1b=\x1b[?1002h\x1b[?1006h\x1b[?1004h\x1b[?25l\x1b[5 q",
    );
    let m = e.input_modes();
    assert!(m.bracketed_paste && m.app_cursor && m.app_keypad);
    assert_eq!(e.mouse_mode().report, super::MouseReport::ButtonMotion);
    assert!(e.mouse_mode().sgr && e.focus_reporting() && !e.cursor_visible());
    assert_eq!(e.cursor_style(), 5);
    e.process(b"\x1b[?1004l\x1b[?1002l\x1b[?25h");
    assert!(!e.focus_reporting() && e.cursor_visible());
    assert_eq!(e.mouse_mode().report, super::MouseReport::Off);
}

#[test]
fn tab_stops() {
    // Default stops every 8; HTS adds one, TBC 0 clears it, TBC 3 all.
    let mut e = emu(30, 2, b"\tx\r\x1b[3C\x1bH\r\tY");
    assert_eq!(text(&mut e, 0), "   Y    x");
    e.process(b"\r\n\x1b[3g\tZ");
    assert_eq!(text(&mut e, 1), "                             Z");
    // CBT goes back a stop at a time.
    let mut e = emu(30, 2, b"\x1b[20G\x1b[2ZA");
    assert_eq!(e.cursor(), (9, 0));
    assert_eq!(text(&mut e, 0), "        A");
}

#[test]
fn csi_s_and_u_save_and_restore() {
    let mut e = emu(20, 3, b"ab\x1b[31m\x1b[s\x1b[2;5H\x1b[0mx\x1b[uy");
    assert_eq!(e.cursor(), (3, 0));
    assert_eq!(e.line(0).unwrap().with_escapes(false), "ab\x1b[31my\x1b[0m");
}

#[test]
fn decaln_fills_with_e() {
    let mut e = emu(3, 2, b"ab\x1b[2;3r\x1b#8");
    assert_eq!(text(&mut e, 0), "EEE");
    assert_eq!(text(&mut e, 1), "EEE");
    assert_eq!(e.cursor(), (0, 0));
}

#[test]
fn alternate_screens() {
    let mut e = emu(10, 3, b"main\x1b[?1047halt");
    assert!(e.alternate_screen());
    // Each screen has its own cursor (as vt100 has it).
    assert_eq!(text(&mut e, 0), "alt");
    e.process(b"\x1b[?1047l");
    assert_eq!(text(&mut e, 0), "main");
    // 1049 saves the cursor and clears the alternate screen.
    e.process(b"\x1b[?1049hX\x1b[?1049lY");
    assert_eq!(text(&mut e, 0), "mainY");
    // clear-history from the alternate screen clears the main history.
    e.process(b"\r\n\r\n\r\n\r\n\x1b[?1049h");
    e.clear_history();
    e.process(b"\x1b[?1049l");
    assert_eq!(e.history_size(), 0);
}

#[test]
fn titles_keep_semicolons() {
    let e = emu(10, 2, b"\x1b]2;a;b\x07");
    assert_eq!(e.title(), "a;b");
    let e = emu(10, 2, b"\x1b]0;x\x1b\\");
    assert_eq!(e.title(), "x");
}

#[test]
fn utf8_cut_by_a_read() {
    let bytes = "é!日本".as_bytes();
    for cut in 0..bytes.len() {
        let mut e = Emu::new(10, 2, 0);
        e.process(&bytes[..cut]);
        e.process(&bytes[cut..]);
        assert_eq!(text(&mut e, 0), "é!日本", "cut at {cut}");
    }
}

#[test]
fn only_escape_starts_a_sequence() {
    // The fast CSI reader once took any byte before '[' for ESC.
    let mut e = emu(10, 2, b"\xff[Y\x1b[2Cz");
    assert_eq!(text(&mut e, 0), "[Y  z");
}

#[test]
fn versions_follow_rows() {
    let mut e = emu(10, 3, b"a\r\nb\r\nc");
    let v: Vec<u64> = e.screen_lines().iter().map(|l| l.version).collect();
    let again: Vec<u64> = e.screen_lines().iter().map(|l| l.version).collect();
    assert_eq!(v, again, "nothing changed");
    e.process(b"\r\nd");
    let after: Vec<u64> = e.screen_lines().iter().map(|l| l.version).collect();
    // b and c moved up a row and kept their versions; d is new.
    assert_eq!(&after[..2], &v[1..]);
    assert!(!v.contains(&after[2]));
    e.process(b"\x1b[1;1Hx");
    let changed: Vec<u64> = e.screen_lines().iter().map(|l| l.version).collect();
    assert_ne!(changed[0], after[0]);
    assert_eq!(&changed[1..], &after[1..]);
}

#[test]
fn tables_compact_and_stay_right() {
    // Thousands of truecolour cells through a tiny table: compaction keeps
    // what is on the screen and in history exactly as vt100 has it.
    let mut a = Emu::new(20, 4, 10);
    a.set_compact_limit(8);
    let mut b = Vt100::new(20, 4, 10);
    let mut rng = Rng::new(7);
    for _ in 0..300 {
        let s = format!(
            "\x1b[38;2;{};{};{}m#\x1b[48;5;{}me\u{301}{}",
            rng.below(256),
            rng.below(256),
            rng.below(256),
            rng.below(256),
            if rng.below(9) == 0 { "\r\n" } else { "" }
        );
        a.process(s.as_bytes());
        b.process(s.as_bytes());
    }
    compare_state(&mut a, &mut b, "compacted").unwrap();
    compare_history(&mut a, &mut b).unwrap();
}

/// Every line of history and screen as `capture-pane -pJ -S -` joins
/// them, without the blank lines at the end.
fn joined(e: &mut Emu) -> Vec<String> {
    let (_, rows) = e.size();
    let mut out = vec![String::new()];
    for y in -(e.history_size() as i64)..i64::from(rows) {
        let Some(l) = e.line(y) else { continue };
        let last = out.len() - 1;
        out[last].push_str(&l.plain(l.wrapped));
        if !l.wrapped {
            out.push(String::new());
        }
    }
    while out.last().is_some_and(|l| l.trim_end().is_empty()) {
        out.pop();
    }
    out.iter().map(|l| l.trim_end().to_string()).collect()
}

/// The character under the cursor.
fn at_cursor(e: &mut Emu) -> String {
    let (x, y) = e.cursor();
    let l = e.line(i64::from(y)).unwrap();
    let start: usize = l.cells[..usize::from(x)]
        .iter()
        .map(|c| usize::from(c.len))
        .sum();
    let len = l
        .cells
        .get(usize::from(x))
        .map_or(0, |c| usize::from(c.len));
    l.text[start..start + len].to_string()
}

#[test]
fn reflow_keeps_the_cursor_on_its_character() {
    let mut e = emu(10, 4, b"abcdefghijklmnopqrstuvwxy\x1b[2;4H");
    assert_eq!(at_cursor(&mut e), "n");
    for (cols, rows) in [(7, 4), (30, 4)] {
        e.resize(cols, rows);
        assert_eq!(at_cursor(&mut e), "n", "at {cols}x{rows}");
        assert_eq!(joined(&mut e), ["abcdefghijklmnopqrstuvwxy"]);
    }
    // A cursor whose line went to history goes to the top left (tmux
    // 3.3a gives the same 0,0 with 8 lines of history here).
    e.resize(3, 2);
    assert_eq!((e.cursor(), e.history_size()), ((0, 0), 8));
    // Past the end of its line's text, the cursor stays past the end.
    let mut e = emu(10, 4, b"$ abcdefghijkl");
    e.resize(20, 4);
    assert_eq!(e.cursor(), (14, 0));
    e.resize(4, 4);
    assert_eq!(e.cursor(), (2, 0));
}

#[test]
fn reflow_rejoins_through_history_and_keeps_styles() {
    let mut e = emu(8, 3, b"\x1b[31mredredredred\x1b[0m plain\r\nnext\r\n");
    assert_eq!(e.history_size(), 2);
    e.resize(40, 3);
    assert_eq!(e.history_size(), 0);
    assert_eq!(text(&mut e, 0), "redredredred plain");
    let l = e.line(0).unwrap();
    assert_eq!(l.cells[11].style.fg, super::Color::Idx(1));
    assert_eq!(l.cells[13].style.fg, super::Color::Default);
    assert_eq!(text(&mut e, 1), "next");
    e.resize(5, 3);
    assert_eq!(
        joined(&mut e),
        ["redredredred plain", "next"],
        "history {}",
        e.history_size()
    );
    assert!(e.line(-1).unwrap().wrapped);
}

#[test]
fn reflow_leaves_the_alternate_screen_alone() {
    let mut e = emu(10, 3, b"0123456789abc\x1b[?1049h\x1b[HALTERNATE!x");
    e.resize(5, 3);
    // The alternate screen is cut, as tmux's is...
    assert_eq!(text(&mut e, 0), "ALTER");
    // ...and the main screen rewrapped under it.
    e.process(b"\x1b[?1049l");
    assert_eq!(joined(&mut e), ["0123456789abc"]);
    assert_eq!(text(&mut e, -1), "01234");
}

#[test]
fn reflow_drops_the_oldest_lines_past_the_history_limit() {
    let mut e = Emu::new(10, 2, 3);
    e.process(b"aaaaaaaaaa1\r\nbbbbbbbbbb2\r\nc");
    e.resize(5, 2);
    assert_eq!(e.history_size(), 3);
    // Of the seven lines, the two oldest went: a line cut at the top.
    assert_eq!(e.history_trimmed(), 2);
    assert_eq!(joined(&mut e), ["1", "bbbbbbbbbb2", "c"]);
}

/// Text, wide characters, colours and line ends at random, written at
/// one width and read back after random resizes: reflow neither loses
/// nor reorders a character, and without wide characters every line
/// comes back whole. (With them, tmux 3.3a ends a joined line where the
/// next line's first character is too wide to join it, though that line
/// continued it; agmux does the same.)
#[test]
fn reflow_round_trips_random_text() {
    let mut rng = Rng::new(0x5eed_0013);
    for n in 0..400 {
        let wide = n % 2 == 0;
        let mut bytes = Vec::new();
        for _ in 0..rng.below(30) {
            match rng.below(6) {
                0 => bytes.extend_from_slice(b"\r\n"),
                1 if wide => bytes.extend_from_slice(rng.pick(&["日本", "한", "🙂"]).as_bytes()),
                2 => bytes.extend_from_slice(b"\x1b[32m"),
                3 => bytes.extend_from_slice(b"\x1b[0m"),
                _ => bytes.extend((0..rng.below(40)).map(|_| b'a' + rng.below(26) as u8)),
            }
        }
        let (cols, rows) = (rng.below(30) as u16 + 2, rng.below(8) as u16 + 1);
        let mut e = Emu::new(cols, rows, 10_000);
        e.process(&bytes);
        let want = joined(&mut e);
        let mut sizes = vec![];
        for _ in 0..4 {
            let size = (rng.below(40) as u16 + 2, rng.below(8) as u16 + 1);
            sizes.push(size);
            e.resize(size.0, size.1);
            super::fuzz::check(&mut e);
            let got = joined(&mut e);
            assert_eq!(got.concat(), want.concat(), "case {n} at {sizes:?}");
            if !wide {
                assert_eq!(got, want, "case {n} at {sizes:?}");
            }
        }
    }
}

#[test]
fn fuzz_body_over_generated_inputs() {
    let mut rng = Rng::new(0xf022);
    for _ in 0..1500 {
        super::fuzz::run(&super::fuzz::random_input(&mut rng));
    }
}

/// The fuzz body for as long as `AGMUX_FUZZ_SECS` says (default 20):
/// `cargo test --bin agmux fuzz_for_a_while -- --ignored`.
#[test]
#[ignore]
fn fuzz_for_a_while() {
    let secs: u64 = std::env::var("AGMUX_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let seed = std::env::var("AGMUX_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| std::process::id().into());
    eprintln!("fuzzing for {secs}s from seed {seed}");
    let mut rng = Rng::new(seed);
    let end = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    let mut n = 0u64;
    while std::time::Instant::now() < end {
        let input = super::fuzz::random_input(&mut rng);
        let ok = std::panic::catch_unwind(|| super::fuzz::run(&input));
        assert!(
            ok.is_ok(),
            "input {n} from seed {seed}: {:?}",
            String::from_utf8_lossy(&input)
        );
        n += 1;
    }
    eprintln!("{n} inputs");
}
