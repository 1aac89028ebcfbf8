//! The one error type commands return: a single line for the client's stderr.

/// A command failure. The text is printed as-is on the client's stderr and the
/// client exits with status 1, as tmux does.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CmdError(pub String);

impl CmdError {
    pub fn new(msg: impl Into<String>) -> Self {
        CmdError(msg.into())
    }

    /// A failure tmux reports with no message (a quiet target lookup): the
    /// rest of the command list is skipped, the exit status is untouched.
    pub fn quiet() -> Self {
        CmdError(String::new())
    }

    pub fn is_quiet(&self) -> bool {
        self.0.is_empty()
    }
}

pub type CmdResult<T = ()> = Result<T, CmdError>;

/// `bail!("can't find session: {}", name)` returns a `CmdError` from the caller.
#[macro_export]
macro_rules! bail {
    ($($arg:tt)*) => {
        return Err($crate::CmdError(format!($($arg)*)))
    };
}
