//! Transcripts: what an agent's pane printed, kept in files beside the
//! store so it outlives the agent and the server (`agent-history -p`, the
//! dashboard's past runs). The pane's reader appends each read as it comes;
//! at half of `agent-transcript-max` the file becomes `NAME.log.1` (the one
//! before goes) and a new one starts, so the two together hold between a
//! half and all of the limit, newest last, with no rewriting.

use crate::server::emulator::{Emu, Emulator};
use crate::server::state::State;
use commands::PaneId;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A pane's open transcript, written by its reader.
pub struct Transcript {
    path: PathBuf,
    file: File,
    size: u64,
    /// Bytes a file may grow to before it rotates: half the limit.
    half: u64,
}

impl Transcript {
    fn open(path: PathBuf, max: u64) -> std::io::Result<Transcript> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)?;
        let size = file.metadata()?.len();
        Ok(Transcript {
            path,
            file,
            size,
            half: (max / 2).max(1),
        })
    }

    /// Appends output. An error (a full disk) ends the transcript: the pane
    /// goes on, and what was written stays readable.
    pub fn write(&mut self, data: &[u8]) -> std::io::Result<()> {
        if self.size + data.len() as u64 > self.half && self.size > 0 {
            self.rotate()?;
        }
        self.file.write_all(data)?;
        self.size += data.len() as u64;
        Ok(())
    }

    fn rotate(&mut self) -> std::io::Result<()> {
        std::fs::rename(&self.path, older(&self.path))?;
        self.file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        self.size = 0;
        Ok(())
    }
}

fn older(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".1");
    PathBuf::from(p)
}

/// An agent key as a file name: its letters and digits, anything else as
/// `_` and its code, so two keys never share a file.
fn file_name(key: &str) -> String {
    let mut out = String::new();
    for c in key.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
            out.push(c);
        } else {
            out.push_str(&format!("_{:x}", c as u32));
        }
    }
    out.push_str(".log");
    out
}

/// Where a server keeps its transcripts: beside its store.
pub fn dir_for(socket: &Path) -> PathBuf {
    let mut p = socket.as_os_str().to_owned();
    p.push(".transcripts");
    PathBuf::from(p)
}

/// What the transcript of `key` holds, oldest first.
pub fn read(dir: &Path, key: &str) -> Option<Vec<u8>> {
    let path = dir.join(file_name(key));
    let mut out = std::fs::read(older(&path)).unwrap_or_default();
    match std::fs::read(&path) {
        Ok(b) => out.extend(b),
        Err(_) if out.is_empty() => return None,
        Err(_) => {}
    }
    Some(out)
}

/// A transcript's last `n` lines of text, as a terminal `cols` wide shows
/// them: escape sequences obeyed, not printed.
pub fn render(bytes: &[u8], cols: u16, n: usize) -> String {
    let rows = 50u16;
    let mut emu = Emu::new(cols, rows, n.max(rows as usize));
    emu.process(bytes);
    super::history::last_lines(&mut emu, n)
}

impl State {
    fn transcripts(&self) -> PathBuf {
        dir_for(&self.info.socket)
    }

    /// Starts keeping what pane `p` prints as agent `key`'s transcript
    /// (appending to what an earlier run of it left).
    pub fn start_transcript(&mut self, key: &str, p: PaneId) {
        let max = self.server_num("agent-transcript-max");
        let Some(pane) = self.panes.get(&p) else {
            return;
        };
        if max == 0 {
            pane.io.shared.set_transcript(None);
            return;
        }
        let dir = self.transcripts();
        let opened = std::fs::create_dir_all(&dir)
            .and_then(|()| {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))
            })
            .and_then(|()| Transcript::open(dir.join(file_name(key)), max));
        match opened {
            Ok(t) => pane.io.shared.set_transcript(Some(t)),
            Err(e) => self.log_message(format!("transcript of {key}: {e}")),
        }
    }

    /// The transcript of `key` as text, if it has one.
    pub fn transcript_text(&self, key: &str, n: usize) -> Option<String> {
        let bytes = read(&self.transcripts(), key)?;
        // Rendered at the width the agent's pane has, or had.
        let cols = self
            .agents
            .records
            .get(key)
            .and_then(|a| a.home)
            .and_then(|p| self.panes.get(&p))
            .map_or(80, |p| p.sx as u16);
        Some(render(&bytes, cols, n))
    }

    /// An agent forgotten leaves no transcript.
    pub fn remove_transcript(&self, key: &str) {
        let path = self.transcripts().join(file_name(key));
        let _ = std::fs::remove_file(older(&path));
        let _ = std::fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_make_distinct_file_names() {
        assert_eq!(file_name("agent:w1"), "agent_3aw1.log");
        assert_ne!(file_name("agent:a/b"), file_name("agent:a_b"));
        assert!(!file_name("agent:../x").contains('/'));
    }

    #[test]
    fn a_transcript_rotates_and_keeps_the_newest_half_at_least() {
        let dir = std::env::temp_dir().join(format!("agmux-transcript-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut t = Transcript::open(dir.join(file_name("agent:x")), 100).unwrap();
        for i in 0..30 {
            // As a terminal's line discipline passes it on: CR LF.
            t.write(format!("line {i:02}\r\n").as_bytes()).unwrap();
        }
        let kept = String::from_utf8(read(&dir, "agent:x").unwrap()).unwrap();
        assert!(kept.len() <= 100 && kept.len() >= 50, "{kept}");
        assert!(kept.ends_with("line 29\r\n"), "{kept}");
        assert!(!kept.contains("line 00"), "{kept}");
        assert_eq!(render(kept.as_bytes(), 80, 2), "line 28\nline 29");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn escape_sequences_are_obeyed_not_kept() {
        let text = render(b"\x1b[31mred\x1b[0m\r\nab\x08c\r\n", 80, 10);
        assert_eq!(text, "red\nac");
    }
}
