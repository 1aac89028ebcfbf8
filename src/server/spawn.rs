//! Starting a pane's program with posix_spawn.
//!
//! A fork of the server copies its page tables, and a child that then
//! closes every inherited descriptor one by one (thousands with hundreds of
//! panes) made `new-session` slower the more sessions were open. glibc's
//! posix_spawn runs the child on the parent's memory until it execs
//! (`clone(CLONE_VM|CLONE_VFORK)`) and closes descriptors with one
//! `close_range`. Everything the child needs is a spawn attribute or a file
//! action: a new session, the terminal opened by name (which, in a session
//! leader without one, makes it the controlling terminal, as `TIOCSCTTY`
//! would), default signal handling, the working directory.

use std::ffi::{CString, OsStr};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// A program resolved and ready to start on a terminal.
#[derive(Debug)]
pub struct Program {
    /// What to exec: a path, never searched again.
    pub path: PathBuf,
    pub argv: Vec<String>,
    pub env: Vec<(String, String)>,
    pub cwd: PathBuf,
}

impl Program {
    /// Resolves what a pane runs, as a login shell (`-sh`) or a program found
    /// on the pane's own `PATH`; the directory falls back to `HOME` when it
    /// is not one.
    pub fn resolve(
        argv: &[String],
        login: bool,
        env: Vec<(String, String)>,
        cwd: &str,
    ) -> Result<Program, String> {
        let var = |k: &str| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        let cwd = if Path::new(cwd).is_dir() {
            PathBuf::from(cwd)
        } else {
            home(var("HOME"))
        };
        let first = argv.first().map(String::as_str).unwrap_or("");
        let (path, argv) = if login {
            let shell = login_shell(first);
            let base = shell.rsplit('/').next().unwrap_or(&shell).to_string();
            (PathBuf::from(&shell), vec![format!("-{base}")])
        } else {
            (search(first, var("PATH"), &cwd)?, argv.to_vec())
        };
        Ok(Program {
            path,
            argv,
            env,
            cwd,
        })
    }

    /// Starts the program in a new session on the terminal `tty` (its
    /// name), which becomes its controlling terminal and standard streams.
    /// Returns the child's pid.
    pub fn spawn(&self, tty: &Path) -> Result<u32, String> {
        match self.spawn_as(&self.path, &self.argv, tty) {
            // A script without a `#!` line: run it with sh, as execvp does.
            Err(libc::ENOEXEC) => {
                let mut argv = vec!["/bin/sh".to_string(), self.path.display().to_string()];
                argv.extend(self.argv.iter().skip(1).cloned());
                self.spawn_as(Path::new("/bin/sh"), &argv, tty)
            }
            other => other,
        }
        .map_err(|errno| {
            format!(
                "Unable to spawn {}: {}",
                self.path.display(),
                std::io::Error::from_raw_os_error(errno)
            )
        })
    }

    fn spawn_as(&self, path: &Path, argv: &[String], tty: &Path) -> Result<u32, i32> {
        let path = cstr(path.as_os_str().as_bytes())?;
        let argv = CStrings::new(argv.iter().map(|a| a.as_bytes()))?;
        let envp = CStrings::new(
            self.env
                .iter()
                .map(|(k, v)| format!("{k}={v}").into_bytes()),
        )?;
        let actions = Actions::new(
            &cstr(tty.as_os_str().as_bytes())?,
            &cstr(self.cwd.as_os_str().as_bytes())?,
        )?;
        let attr = Attr::new()?;
        let mut pid: libc::pid_t = 0;
        // SAFETY: every pointer is to a live, NUL-terminated string or a
        // NULL-terminated array of them, and the attribute and actions
        // objects are initialised; all outlive the call.
        let rc = unsafe {
            libc::posix_spawn(
                &mut pid,
                path.as_ptr(),
                &actions.0,
                &attr.0,
                argv.ptrs.as_ptr(),
                envp.ptrs.as_ptr(),
            )
        };
        if rc != 0 {
            return Err(rc);
        }
        Ok(pid as u32)
    }
}

/// The shell a login pane runs: the one asked for if it can run, else the
/// user's from the password database, else `/bin/sh`.
fn login_shell(asked: &str) -> String {
    if executable(Path::new(asked)) {
        return asked.to_string();
    }
    nix::unistd::User::from_uid(nix::unistd::getuid())
        .ok()
        .flatten()
        .map(|u| u.shell.display().to_string())
        .filter(|s| executable(Path::new(s)))
        .unwrap_or_else(|| "/bin/sh".to_string())
}

/// Where a pane starts when its own directory is gone: HOME, else the
/// user's home from the password database, else `/` (tmux's order).
fn home(env_home: Option<&str>) -> PathBuf {
    let from_env = env_home.filter(|h| !h.is_empty()).map(PathBuf::from);
    from_env
        .filter(|h| h.is_dir())
        .or_else(|| {
            nix::unistd::User::from_uid(nix::unistd::getuid())
                .ok()
                .flatten()
                .map(|u| u.dir)
                .filter(|h| h.is_dir())
        })
        .unwrap_or_else(|| PathBuf::from("/"))
}

fn executable(p: &Path) -> bool {
    !p.as_os_str().is_empty()
        && !p.is_dir()
        && nix::unistd::access(p, nix::unistd::AccessFlags::X_OK).is_ok()
}

/// Finds `exe` as execvp would, but on the pane's `PATH` (not the
/// server's) and relative to the pane's directory.
fn search(exe: &str, path: Option<&str>, cwd: &Path) -> Result<PathBuf, String> {
    let unable = |why: &str| format!("Unable to spawn {exe}: {why}");
    if exe.is_empty() {
        return Err(unable("no program"));
    }
    if exe.contains('/') {
        let p = cwd.join(exe);
        return match () {
            _ if p.is_dir() => Err(unable("is a directory")),
            _ if executable(&p) => Ok(p),
            _ if p.exists() => Err(unable("not executable")),
            _ => Err(unable("no such file")),
        };
    }
    let path = path.ok_or_else(|| unable("no PATH"))?;
    std::env::split_paths(OsStr::new(path))
        .map(|dir| cwd.join(dir).join(exe))
        .find(|p| executable(p))
        .ok_or_else(|| unable("not found in PATH"))
}

fn cstr(bytes: &[u8]) -> Result<CString, i32> {
    CString::new(bytes).map_err(|_| libc::EINVAL)
}

/// A NULL-terminated array of C strings, and the strings it points into.
struct CStrings {
    _owned: Vec<CString>,
    ptrs: Vec<*mut libc::c_char>,
}

impl CStrings {
    fn new<I, B>(items: I) -> Result<CStrings, i32>
    where
        I: IntoIterator<Item = B>,
        B: AsRef<[u8]>,
    {
        let owned = items
            .into_iter()
            .map(|b| cstr(b.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        let mut ptrs: Vec<*mut libc::c_char> =
            owned.iter().map(|c| c.as_ptr().cast_mut()).collect();
        ptrs.push(std::ptr::null_mut());
        Ok(CStrings {
            _owned: owned,
            ptrs,
        })
    }
}

/// The child's file actions: the terminal as fds 0-2 (opened after
/// `setsid`, so it becomes the controlling terminal), the working
/// directory, and nothing else of the server's open.
struct Actions(libc::posix_spawn_file_actions_t);

impl Actions {
    fn new(tty: &CString, cwd: &CString) -> Result<Box<Actions>, i32> {
        // Boxed: POSIX does not promise the object may move once made.
        // SAFETY: zeroed is a valid bit pattern for the plain C struct, and
        // init makes it a real one before any other use.
        let mut a = Box::new(Actions(unsafe { std::mem::zeroed() }));
        // SAFETY: the object is writable and not yet initialised.
        check(unsafe { libc::posix_spawn_file_actions_init(&mut a.0) })?;
        // SAFETY: the object is initialised; glibc copies the strings.
        unsafe {
            check(libc::posix_spawn_file_actions_addopen(
                &mut a.0,
                0,
                tty.as_ptr(),
                libc::O_RDWR,
                0,
            ))?;
            check(libc::posix_spawn_file_actions_adddup2(&mut a.0, 0, 1))?;
            check(libc::posix_spawn_file_actions_adddup2(&mut a.0, 0, 2))?;
            check(libc::posix_spawn_file_actions_addchdir_np(
                &mut a.0,
                cwd.as_ptr(),
            ))?;
            check(libc::posix_spawn_file_actions_addclosefrom_np(&mut a.0, 3))?;
        }
        Ok(a)
    }
}

impl Drop for Actions {
    fn drop(&mut self) {
        // SAFETY: initialised in `new`, or still zeroed if that failed,
        // which glibc's destroy takes as empty (it frees a NULL list).
        unsafe { libc::posix_spawn_file_actions_destroy(&mut self.0) };
    }
}

/// The child's attributes: its own session, every signal at its default
/// and none blocked, whatever the server does with them.
struct Attr(libc::posix_spawnattr_t);

impl Attr {
    fn new() -> Result<Box<Attr>, i32> {
        // SAFETY: as for Actions: zeroed, then initialised before use.
        let mut a = Box::new(Attr(unsafe { std::mem::zeroed() }));
        // SAFETY: the object is writable; the sets are plain values.
        unsafe {
            check(libc::posix_spawnattr_init(&mut a.0))?;
            let mut none: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut none);
            let mut standard: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut standard);
            // The standard signals; the real-time ones above belong to libc.
            for sig in 1..32 {
                if sig != libc::SIGKILL && sig != libc::SIGSTOP {
                    libc::sigaddset(&mut standard, sig);
                }
            }
            check(libc::posix_spawnattr_setsigmask(&mut a.0, &none))?;
            check(libc::posix_spawnattr_setsigdefault(&mut a.0, &standard))?;
            // The libc crate types these constants differently (i16, i32).
            let flags = libc::POSIX_SPAWN_SETSID as libc::c_int
                | libc::POSIX_SPAWN_SETSIGMASK
                | libc::POSIX_SPAWN_SETSIGDEF;
            check(libc::posix_spawnattr_setflags(&mut a.0, flags as _))?;
        }
        Ok(a)
    }
}

impl Drop for Attr {
    fn drop(&mut self) {
        // SAFETY: initialised in `new`, or zeroed; glibc's destroy does
        // nothing with either.
        unsafe { libc::posix_spawnattr_destroy(&mut self.0) };
    }
}

fn check(rc: libc::c_int) -> Result<(), i32> {
    if rc == 0 { Ok(()) } else { Err(rc) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_program_is_found_on_the_panes_path_not_the_servers() {
        let dir = std::env::temp_dir();
        let found = search("sh", Some("/nonexistent:/bin"), &dir);
        assert_eq!(found, Ok(PathBuf::from("/bin/sh")));
        let missing = search("sh", Some("/nonexistent"), &dir);
        assert!(missing.is_err_and(|e| e.contains("not found")));
    }

    #[test]
    fn a_path_with_a_slash_is_taken_from_the_working_directory() {
        let found = search("./sh", Some(""), Path::new("/bin"));
        assert_eq!(found, Ok(PathBuf::from("/bin/./sh")));
        assert!(search("./bin", None, Path::new("/")).is_err());
    }

    #[test]
    fn a_login_shell_runs_as_dash_its_name() {
        let p = Program::resolve(&["/bin/sh".into()], true, vec![], "/").unwrap();
        assert_eq!(p.argv, vec!["-sh".to_string()]);
        assert_eq!(p.path, PathBuf::from("/bin/sh"));
    }

    #[test]
    fn a_missing_directory_falls_back_to_home() {
        let env = vec![("HOME".to_string(), "/tmp".to_string())];
        let p = Program::resolve(&["sh".into()], false, env, "/no/such/dir").unwrap_err();
        assert!(p.contains("no PATH"), "{p}");
        let env = vec![
            ("HOME".to_string(), "/tmp".to_string()),
            ("PATH".to_string(), "/bin".to_string()),
        ];
        let p = Program::resolve(&["sh".into()], false, env, "/no/such/dir").unwrap();
        assert_eq!(p.cwd, PathBuf::from("/tmp"));
    }
}
