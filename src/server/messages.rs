//! The message log show-messages prints, as tmux keeps it: every command
//! run (once the configuration is loaded) and every message a client was
//! shown or told, numbered, timed, at most message-limit of them.

use super::state::{Queue, State};
use commands::host::Caller;
use std::collections::VecDeque;

/// One logged message.
#[derive(Debug, Clone)]
pub struct LogEntry {
    /// Seconds since the epoch.
    pub time: i64,
    pub text: String,
}

/// The log and the number of the next message.
#[derive(Debug, Default)]
pub struct MessageLog {
    entries: VecDeque<(u64, LogEntry)>,
    next: u64,
}

/// A command-line client's name as tmux gives it: its terminal, or
/// `client-PID` without one.
pub fn caller_name(caller: &Caller) -> String {
    if caller.tty_name.is_empty() {
        format!("client-{}", caller.pid.unwrap_or(0))
    } else {
        caller.tty_name.clone()
    }
}

impl State {
    /// Adds a message, dropping the oldest beyond message-limit.
    pub fn log_message(&mut self, text: String) {
        let limit = self.server_num("message-limit");
        let log = &mut self.message_log;
        let time = commands::util::now();
        log.entries.push_back((log.next, LogEntry { time, text }));
        log.next += 1;
        while log
            .entries
            .front()
            .is_some_and(|(n, _)| n + limit < log.next)
        {
            log.entries.pop_front();
        }
    }

    /// The log, oldest first.
    pub fn logged(&self) -> Vec<LogEntry> {
        self.message_log
            .entries
            .iter()
            .map(|(_, e)| e.clone())
            .collect()
    }

    /// The client a queue runs for, by name: an attached client's
    /// terminal, a command-line client's name, or none (hooks, jobs).
    fn queue_client(&self, q: &Queue) -> Option<String> {
        if let Some(c) = q.client {
            return self.clients.get(&c).map(|c| c.name.clone());
        }
        q.reply.as_ref().map(|_| caller_name(&q.io.caller))
    }

    /// Logs a command about to run, as tmux's cmdq_add_message.
    pub fn log_command(&mut self, q: &Queue, command: &str) {
        if q.config {
            return;
        }
        let text = match self.queue_client(q) {
            Some(name) => format!("{name} command: {command}"),
            None => format!("command: {command}"),
        };
        self.log_message(text);
    }

    /// Logs an error told to a command-line client.
    pub fn log_error(&mut self, q: &Queue, error: &str) {
        if q.client.is_none()
            && let Some(name) = self.queue_client(q)
        {
            self.log_message(format!("{name} message: {error}"));
        }
    }
}
