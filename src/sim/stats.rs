use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Request counts per operation, as `GET /_sim/stats` returns them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// API requests that arrived, counted before the configured latency, so
    /// a test sees a request under way before it is answered.
    #[serde(default)]
    pub arrived: u64,
    pub operations: BTreeMap<String, OperationStats>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationStats {
    /// Every request that named this operation, throttled ones included.
    pub requests: u64,
    /// Answered with `ThrottlingException`.
    pub throttled: u64,
    /// Answered with any other error (4xx or 5xx).
    pub failed: u64,
    /// Items returned in `FailedRequests` by successful batch calls.
    pub failed_items: u64,
    /// Time spent serving these requests under the account lock (state-file
    /// writes included), in microseconds.
    pub server_micros: u64,
}

impl Stats {
    pub fn get(&self, operation: &str) -> OperationStats {
        self.operations.get(operation).copied().unwrap_or_default()
    }

    /// Requests per operation since `before` (an earlier reading), leaving
    /// out operations not called in between.
    pub fn requests_since(&self, before: &Stats) -> BTreeMap<String, u64> {
        self.operations
            .iter()
            .map(|(op, s)| (op.clone(), s.requests - before.get(op).requests))
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    pub(crate) fn entry(&mut self, operation: &str) -> &mut OperationStats {
        self.operations.entry(operation.to_owned()).or_default()
    }
}
