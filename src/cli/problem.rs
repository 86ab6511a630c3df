//! Why an input, or the configuration governing it, could not be checked.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::config::ConfigError;

/// A problem reported on stderr; any problem makes the run exit with status 2.
#[derive(Debug)]
pub enum Problem {
    /// A draft, directory or configuration file that could not be read.
    Input { path: PathBuf, reason: String },
    /// A configuration file that was read but is not valid.
    Config(ConfigError),
}

impl Problem {
    pub fn input(path: &Path, reason: impl fmt::Display) -> Self {
        Problem::Input {
            path: path.to_owned(),
            reason: reason.to_string(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Input { path, reason } => write!(f, "{}: {reason}", path.display()),
            Problem::Config(error) => error.fmt(f),
        }
    }
}
