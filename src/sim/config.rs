use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// How a simulator runs: where it listens, where it keeps its state, how
/// slow its asynchronous work is and which faults it injects.
#[derive(Debug, Clone)]
pub struct SimConfig {
    pub listen: SocketAddr,
    /// Load the account from this JSON file and its log of changes
    /// (`FILE.log`), append each change to the log before answering, and
    /// write the file whole at shutdown; `None` keeps the account in memory.
    pub state_file: Option<PathBuf>,
    pub faults: Faults,
    /// PENDING → AVAILABLE, TERMINATING → gone, REBOOTING/REBUILDING/RESTORING
    /// → AVAILABLE, image PENDING → AVAILABLE, account modification PENDING →
    /// COMPLETED, and how long `ModificationStates` show.
    pub settle: Duration,
    /// How long a new WorkSpace id stays invisible to `DescribeWorkspaces`.
    pub visibility: Duration,
    /// How often a healthy WorkSpace's volumes are snapshotted (AWS: every
    /// 12 hours); the first snapshot is taken when it first becomes AVAILABLE.
    pub snapshot_interval: Duration,
    /// How far the tagging API's `GetResources` lags behind the account: it
    /// lists each resource with the tags it had this long ago (AWS's tag
    /// index is eventually consistent). The WorkSpaces operations do not lag.
    pub tag_lag: Duration,
    /// Seeds ids and fault draws, so a faulty run replays.
    pub seed: u64,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            state_file: None,
            faults: Faults::default(),
            settle: Duration::from_secs(2),
            visibility: Duration::from_secs(1),
            snapshot_interval: Duration::from_secs(12 * 60 * 60),
            tag_lag: Duration::ZERO,
            seed: 0,
        }
    }
}

/// Faults injected on demand; the default injects none.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Added before every answer.
    pub latency: Duration,
    /// Above this many requests a second (token bucket, burst of one second),
    /// answer `ThrottlingException`.
    pub max_requests_per_second: Option<u32>,
    /// Share (0–1) of requests answered with HTTP 500/503.
    pub server_error_rate: f64,
    /// Share (0–1) of items of batch operations (Create/Terminate/Reboot/
    /// RebuildWorkspaces) that come back in `FailedRequests`.
    pub failed_request_rate: f64,
    /// Account modifications (BYOL enable) end FAILED instead of COMPLETED.
    pub fail_account_modification: bool,
    /// The account is one AWS has not enabled for BYOL (which it does on
    /// request): `ListAvailableManagementCidrRanges` answers
    /// `AccessDeniedException`, as the model documents, and so does
    /// `ModifyAccount`.
    pub byol_not_enabled: bool,
    /// Share (0–1) of new WorkSpaces that turn UNHEALTHY one settle delay
    /// after they first become AVAILABLE, drawn from the seed.
    pub unhealthy_rate: f64,
    /// Every tagging API call (`GetResources`) is refused with
    /// `AccessDeniedException`, as for a role without `tag:GetResources`;
    /// WorkSpaces calls still pass.
    pub tagging_access_denied: bool,
    /// Every Price List API call (`GetProducts`, `GetAttributeValues`,
    /// `DescribeServices`) is refused with `AccessDeniedException`, as for a
    /// role without `pricing:*`; the other APIs still pass.
    pub pricing_access_denied: bool,
    /// Every CloudWatch call (`GetMetricData`) is refused with
    /// `AccessDenied`, as for a role without `cloudwatch:GetMetricData`.
    pub cloudwatch_access_denied: bool,
}

/// `wsctl sim serve` options.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:4599", value_name = "ADDR")]
    pub listen: SocketAddr,
    /// Keep the account in this JSON file (created if missing); while the
    /// simulator runs, each change is appended to FILE.log before it is
    /// answered, and the file is written whole at exit
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Milliseconds added before every answer.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    pub latency_ms: u64,
    /// Answer ThrottlingException above this many requests per second.
    #[arg(long, value_name = "RPS")]
    pub throttle_rps: Option<u32>,
    /// Share of requests (0–1) answered with HTTP 500/503.
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate, value_name = "RATE")]
    pub server_error_rate: f64,
    /// Share of batch items (0–1) returned in FailedRequests.
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate, value_name = "RATE")]
    pub failed_request_rate: f64,
    /// Make BYOL account modifications end FAILED.
    #[arg(long)]
    pub fail_account_modification: bool,
    /// Play an account AWS has not enabled for BYOL: ListAvailableManagementCidrRanges and ModifyAccount answer AccessDeniedException.
    #[arg(long)]
    pub byol_not_enabled: bool,
    /// Share of new WorkSpaces (0–1) that turn UNHEALTHY soon after they are AVAILABLE.
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate, value_name = "RATE")]
    pub unhealthy_rate: f64,
    /// Milliseconds before asynchronous work (PENDING → AVAILABLE, …) settles.
    #[arg(long, default_value_t = 2000, value_name = "MS")]
    pub settle_ms: u64,
    /// Milliseconds a new WorkSpace id is invisible to DescribeWorkspaces.
    #[arg(long, default_value_t = 1000, value_name = "MS")]
    pub visibility_ms: u64,
    /// Milliseconds between snapshots of a healthy WorkSpace (AWS: 12 hours).
    #[arg(long, default_value_t = 12 * 60 * 60 * 1000, value_name = "MS")]
    pub snapshot_interval_ms: u64,
    /// Milliseconds the tagging API's GetResources lags behind tag changes.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    pub tag_lag_ms: u64,
    /// Refuse every tagging API call (GetResources) with AccessDeniedException.
    #[arg(long)]
    pub tagging_access_denied: bool,
    /// Refuse every Price List API call (GetProducts, …) with AccessDeniedException.
    #[arg(long)]
    pub pricing_access_denied: bool,
    /// Refuse every CloudWatch call (GetMetricData) with AccessDenied.
    #[arg(long)]
    pub cloudwatch_access_denied: bool,
    /// Seed for ids, fault draws and users' usage; the same seed replays the same run.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

fn parse_rate(s: &str) -> Result<f64, String> {
    let rate: f64 = s.parse().map_err(|e| format!("{e}"))?;
    if (0.0..=1.0).contains(&rate) {
        Ok(rate)
    } else {
        Err(format!("{rate} is not between 0 and 1"))
    }
}

impl ServeArgs {
    pub fn config(&self) -> SimConfig {
        SimConfig {
            listen: self.listen,
            state_file: self.state.clone(),
            faults: Faults {
                latency: Duration::from_millis(self.latency_ms),
                max_requests_per_second: self.throttle_rps,
                server_error_rate: self.server_error_rate,
                failed_request_rate: self.failed_request_rate,
                fail_account_modification: self.fail_account_modification,
                byol_not_enabled: self.byol_not_enabled,
                unhealthy_rate: self.unhealthy_rate,
                tagging_access_denied: self.tagging_access_denied,
                pricing_access_denied: self.pricing_access_denied,
                cloudwatch_access_denied: self.cloudwatch_access_denied,
            },
            settle: Duration::from_millis(self.settle_ms),
            visibility: Duration::from_millis(self.visibility_ms),
            snapshot_interval: Duration::from_millis(self.snapshot_interval_ms),
            tag_lag: Duration::from_millis(self.tag_lag_ms),
            seed: self.seed,
        }
    }
}
