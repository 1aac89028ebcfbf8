//! Starting a pane's program on its terminal.
//!
//! portable-pty's spawn (a `std::process::Command`) made `new-session`
//! slower the more sessions were open: its child closed every inherited
//! descriptor one by one (thousands with hundreds of panes), and the
//! server waited for the exec to learn whether it worked. Here the child
//! closes them with one `close_range`, and the server starts it one of two
//! ways. While the server is small it forks and goes on at once, as tmux
//! does; the child sets itself up with async-signal-safe calls only
//! (nothing that allocates or locks: the server has other threads) on
//! strings made before the fork, and execs. Once the server is big, fork's
//! copy of its page tables costs more than waiting, and glibc's
//! `posix_spawn` starts the child on the server's memory instead; the
//! server then waits for the exec, which on a busy machine can take
//! milliseconds when the child queues behind other work.
//!
//! Whether the program can be found is checked beforehand, on the pane's
//! own `PATH`, so that `new-session` can still fail with tmux's words; a
//! later exec failure ends the pane at once, as in tmux.

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
        let unable = |e: i32| {
            format!(
                "Unable to spawn {}: {}",
                self.path.display(),
                std::io::Error::from_raw_os_error(e)
            )
        };
        Child::new(self, tty)
            .and_then(|c| c.start())
            .map_err(unable)
    }
}

/// Above this resident size the server is started from with posix_spawn:
/// fork's copy of its page tables (and the faults on each page it writes
/// next) then costs more than waiting for the child's exec. A server
/// with 500 idle sessions is 16 MiB; one holding 10 panes of 100,000
/// lines of history, 160 MiB, took 1-2 ms longer per new-session by fork.
const FORK_MAX_RESIDENT: u64 = 64 << 20;

/// The server's resident size, from /proc/self/statm.
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf only reads a constant.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Some(pages * u64::try_from(page).ok()?)
}

/// Everything the child needs, made before the fork.
struct Child {
    path: CString,
    argv: CStrings,
    /// `/bin/sh path args...`: a script without a `#!` line runs with sh,
    /// as execvp runs it.
    sh_argv: CStrings,
    envp: CStrings,
    tty: CString,
    cwd: CString,
}

/// The child's exit status when it could not set itself up or exec
/// (tmux's child exits 1; 127 is the shell's "cannot run").
const CANNOT_RUN: libc::c_int = 127;

impl Child {
    fn new(p: &Program, tty: &Path) -> Result<Child, i32> {
        let mut sh = vec!["/bin/sh".to_string(), p.path.display().to_string()];
        sh.extend(p.argv.iter().skip(1).cloned());
        Ok(Child {
            path: cstr(p.path.as_os_str().as_bytes())?,
            argv: CStrings::new(p.argv.iter().map(|a| a.as_bytes()))?,
            sh_argv: CStrings::new(sh.iter().map(|a| a.as_bytes()))?,
            envp: CStrings::new(p.env.iter().map(|(k, v)| format!("{k}={v}").into_bytes()))?,
            tty: cstr(tty.as_os_str().as_bytes())?,
            cwd: cstr(p.cwd.as_os_str().as_bytes())?,
        })
    }

    /// Starts the program: by fork while the server is small (the server
    /// goes on at once, as tmux's does), by posix_spawn once it is big.
    fn start(&self) -> Result<u32, i32> {
        if resident_bytes().is_some_and(|b| b > FORK_MAX_RESIDENT) {
            self.spawn()
        } else {
            self.fork()
        }
    }

    /// glibc's posix_spawn: the child runs on the server's memory until it
    /// execs (`clone(CLONE_VM|CLONE_VFORK)`), so nothing is copied, but
    /// the server waits for that exec. Everything `exec` does below is a
    /// spawn attribute or a file action.
    fn spawn(&self) -> Result<u32, i32> {
        match self.spawn_as(&self.path, &self.argv) {
            Err(libc::ENOEXEC) => self.spawn_as(c"/bin/sh", &self.sh_argv),
            other => other,
        }
    }

    fn spawn_as(&self, path: &std::ffi::CStr, argv: &CStrings) -> Result<u32, i32> {
        let actions = Actions::new(&self.tty, &self.cwd)?;
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
                self.envp.ptrs.as_ptr(),
            )
        };
        check(rc)?;
        u32::try_from(pid).map_err(|_| libc::ECHILD)
    }

    /// Forks; the child execs the program and never returns here. Every
    /// signal stays blocked across the fork, so no handler of the
    /// server's runs in the child before it resets them.
    fn fork(&self) -> Result<u32, i32> {
        // SAFETY: the masks are plain values; fork is called with every
        // signal blocked and the child goes straight to `exec`.
        unsafe {
            let mut all: libc::sigset_t = std::mem::zeroed();
            let mut old: libc::sigset_t = std::mem::zeroed();
            libc::sigfillset(&mut all);
            libc::pthread_sigmask(libc::SIG_SETMASK, &all, &mut old);
            let pid = libc::fork();
            if pid == 0 {
                self.exec();
            }
            let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
            libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
            u32::try_from(pid).map_err(|_| errno)
        }
    }

    /// In the child: a new session whose controlling terminal is the
    /// pane's, as fds 0-2; default signal handling and none blocked; the
    /// working directory; no other descriptor; then the program.
    ///
    /// # Safety
    /// Only in the child of `fork`: async-signal-safe calls only.
    unsafe fn exec(&self) -> ! {
        // SAFETY: each call is async-signal-safe and takes pointers to
        // strings that live in this (copied) memory until exec.
        unsafe {
            for sig in 1..32 {
                if sig != libc::SIGKILL && sig != libc::SIGSTOP {
                    libc::signal(sig, libc::SIG_DFL);
                }
            }
            libc::setsid();
            // Opened by a session leader without a terminal, the pane's
            // becomes its controlling terminal; TIOCSCTTY makes sure.
            let fd = libc::open(self.tty.as_ptr(), libc::O_RDWR);
            if fd < 0 {
                libc::_exit(CANNOT_RUN);
            }
            libc::ioctl(fd, libc::TIOCSCTTY, 0);
            for std_fd in 0..3 {
                libc::dup2(fd, std_fd);
            }
            // A directory that vanished since it was checked: stay where
            // the server is, as tmux's child does when chdir fails.
            libc::chdir(self.cwd.as_ptr());
            libc::syscall(libc::SYS_close_range, 3u32, u32::MAX, 0u32);
            let mut none: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut none);
            libc::sigprocmask(libc::SIG_SETMASK, &none, std::ptr::null_mut());
            libc::execve(self.path.as_ptr(), self.argv.as_ptr(), self.envp.as_ptr());
            if *libc::__errno_location() == libc::ENOEXEC {
                libc::execve(
                    c"/bin/sh".as_ptr(),
                    self.sh_argv.as_ptr(),
                    self.envp.as_ptr(),
                );
            }
            libc::_exit(CANNOT_RUN)
        }
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
    /// The array, as execve takes it.
    fn as_ptr(&self) -> *const *const libc::c_char {
        self.ptrs.as_ptr().cast()
    }

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

    /// Starts `sh -c script` on a new terminal both ways, and returns the
    /// two exit statuses.
    fn run_both_ways(script: &str) -> Vec<i32> {
        let pty = portable_pty::native_pty_system();
        let size = portable_pty::PtySize::default();
        let mut codes = Vec::new();
        for by_fork in [true, false] {
            let pair = pty.openpty(size).unwrap();
            let tty = pair.master.tty_name().unwrap();
            let argv = vec!["/bin/sh".into(), "-c".into(), script.into()];
            let p = Program::resolve(&argv, false, vec![], "/").unwrap();
            let child = Child::new(&p, &tty).unwrap();
            let pid = if by_fork { child.fork() } else { child.spawn() }.unwrap();
            let pid = nix::unistd::Pid::from_raw(pid as i32);
            match nix::sys::wait::waitpid(pid, None).unwrap() {
                nix::sys::wait::WaitStatus::Exited(_, code) => codes.push(code),
                other => panic!("{other:?}"),
            }
        }
        codes
    }

    #[test]
    fn fork_and_posix_spawn_start_the_program_alike() {
        // A session leader, on the terminal as fds 0-2, in the directory,
        // with no other descriptor open.
        let script = "read -r pid comm state ppid pgrp sid rest < /proc/$$/stat; \
            [ $pid = $sid ] && test -t 0 && test -t 1 && test -t 2 && \
            [ \"$(pwd -P)\" = / ] && ! [ -e /proc/$$/fd/3 ] && exit 7";
        assert_eq!(run_both_ways(script), [7, 7]);
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
