//! Where the server's socket lives, and the checks on its directory.

use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::path::PathBuf;

/// Whether agmux was run through a link named `tmux`, and so presents itself
/// as tmux: TMUX_TMPDIR, `tmux-UID`, TMUX and TMUX_PANE in panes, `tmux 3.3a`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Agmux,
    Tmux,
}

impl Flavor {
    pub fn from_argv0(argv0: &str) -> Flavor {
        let base = argv0.rsplit('/').next().unwrap_or(argv0);
        if base == "tmux" {
            Flavor::Tmux
        } else {
            Flavor::Agmux
        }
    }

    /// The environment variable holding `socket,pid,session` in panes.
    pub fn env_var(self) -> &'static str {
        match self {
            Flavor::Agmux => "AGMUX",
            Flavor::Tmux => "TMUX",
        }
    }

    pub fn pane_var(self) -> &'static str {
        match self {
            Flavor::Agmux => "AGMUX_PANE",
            Flavor::Tmux => "TMUX_PANE",
        }
    }

    fn tmpdir_var(self) -> &'static str {
        match self {
            Flavor::Agmux => "AGMUX_TMPDIR",
            Flavor::Tmux => "TMUX_TMPDIR",
        }
    }

    fn dir_prefix(self) -> &'static str {
        match self {
            Flavor::Agmux => "agmux",
            Flavor::Tmux => "tmux",
        }
    }

    pub fn version(self) -> String {
        match self {
            Flavor::Agmux => format!("agmux {}", env!("CARGO_PKG_VERSION")),
            Flavor::Tmux => "tmux 3.3a".to_string(),
        }
    }
}

/// The socket path for `-L name`, creating and checking its directory.
pub fn socket_path(flavor: Flavor, name: &str) -> Result<PathBuf, String> {
    let base = std::env::var_os(flavor.tmpdir_var())
        .filter(|v| !v.is_empty())
        .or_else(|| std::env::var_os("TMPDIR").filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "/tmp".into());
    let uid = nix::unistd::getuid().as_raw();
    let dir = PathBuf::from(base).join(format!("{}-{uid}", flavor.dir_prefix()));
    check_dir(&dir, uid)?;
    Ok(dir.join(name))
}

/// Creates the socket directory 0700, and refuses one that another user
/// owns or that others may enter: a socket there could be someone else's.
fn check_dir(dir: &std::path::Path, uid: u32) -> Result<(), String> {
    match std::fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(format!("couldn't create directory {} ({e})", dir.display())),
    }
    let meta = std::fs::symlink_metadata(dir)
        .map_err(|e| format!("couldn't create directory {} ({e})", dir.display()))?;
    if !meta.is_dir() {
        return Err(format!(
            "unsafe socket directory {}: not a directory",
            dir.display()
        ));
    }
    if meta.uid() != uid {
        return Err(format!(
            "unsafe socket directory {}: owned by uid {}, not {uid}",
            dir.display(),
            meta.uid()
        ));
    }
    if meta.mode() & 0o007 != 0 {
        return Err(format!(
            "unsafe socket directory {}: mode {:o} lets others in",
            dir.display(),
            meta.mode() & 0o777
        ));
    }
    Ok(())
}
