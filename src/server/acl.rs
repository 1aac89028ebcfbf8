//! server-access: which other users may use the server, as tmux's
//! server-acl.c. The owner and root always may; others only once added,
//! read-only or not.

use std::collections::BTreeMap;
use std::sync::Mutex;

/// Users let in, by uid: true if they may change things.
static ACL: Mutex<BTreeMap<u32, bool>> = Mutex::new(BTreeMap::new());

fn acl() -> std::sync::MutexGuard<'static, BTreeMap<u32, bool>> {
    ACL.lock().unwrap_or_else(|e| e.into_inner())
}

/// The server's own user, asked once: every key typed is checked against
/// it.
fn own_uid() -> u32 {
    static OWN: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *OWN.get_or_init(|| nix::unistd::getuid().as_raw())
}

/// Whether a peer of this uid may connect, and if so whether read-only.
pub fn admits(uid: u32) -> Option<bool> {
    let own = own_uid();
    if uid == own || uid == 0 {
        return Some(false);
    }
    acl().get(&uid).map(|write| !write)
}

pub fn find(uid: u32) -> Option<bool> {
    acl().get(&uid).copied()
}

/// Lets a user in (with write access unless said otherwise later).
pub fn allow(uid: u32) {
    acl().entry(uid).or_insert(true);
}

pub fn set_write(uid: u32, write: bool) {
    if let Some(w) = acl().get_mut(&uid) {
        *w = write;
    }
}

pub fn deny(uid: u32) {
    acl().remove(&uid);
}

/// The users let in, as server-access -l lists them: the owner too,
/// unless that is root.
pub fn list() -> Vec<(u32, bool)> {
    let own = own_uid();
    let mut v: Vec<(u32, bool)> = acl().iter().map(|(u, w)| (*u, *w)).collect();
    if own != 0 && !v.iter().any(|(u, _)| *u == own) {
        v.push((own, true));
        v.sort();
    }
    v
}
