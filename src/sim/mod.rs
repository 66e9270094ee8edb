//! The WorkSpaces simulator.
