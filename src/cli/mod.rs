//! The command line. Filled in by the CLI work.
