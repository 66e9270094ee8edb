//! Standard output that a closed pipe does not crash: `wsctl plan | head`
//! ends quietly, and an apply whose log reader went away still finishes
//! rather than stopping half-done on a panic.

use std::fmt;
use std::io::Write;

/// Like `print!`, but a write error (a closed pipe) is ignored.
macro_rules! out {
    ($($arg:tt)*) => { $crate::output::write(format_args!($($arg)*)) };
}

/// Like `println!`, but a write error (a closed pipe) is ignored.
macro_rules! outln {
    () => { $crate::output::write(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::output::write(format_args!("{}\n", format_args!($($arg)*))) };
}

pub(crate) fn write(text: fmt::Arguments<'_>) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_fmt(text).and_then(|()| stdout.flush());
}
