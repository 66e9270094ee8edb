//! What a release ships besides the binary, and what tells users how to get
//! and run it: the man pages and completions in `share/`, the IAM policies
//! in `examples/iam/`, and the CI example that installs a release.

mod ci_example;
mod iam;
mod share;
